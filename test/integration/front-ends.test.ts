// Real Apache httpd and nginx, configured from examples/, in front of a real Gatehouse.
import t from 'tap'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build, type TestContext } from '../helpers/build.js'

const EXAMPLES = resolve(import.meta.dirname, '../../examples')
const basicAuth = (u: string, p: string) => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64')

function which (cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : undefined
}

async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    }).on('error', reject)
  })
}

async function waitFor (url: string, proc: ChildProcess, logFile: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`front end exited: ${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`)
    try {
      await fetch(url)
      return
    } catch { await new Promise(resolve => setTimeout(resolve, 100)) }
  }
  throw new Error(`front end did not answer at ${url}`)
}

function runDir (): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-fe-'))
  chmodSync(dir, 0o755) // the servers' unprivileged workers read the htpasswd file here
  copyFileSync(join(EXAMPLES, 'apache', 'htpasswd'), join(dir, 'htpasswd'))
  chmodSync(join(dir, 'htpasswd'), 0o644)
  return dir
}

async function gatehouseBehindProxy (t: TestContext): Promise<string> {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, whitelist: '127.0.0.1, ::1' } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
}

// What a user checks through either front end.
async function behaviours (t: TestContext, front: string): Promise<void> {
  const ok = await fetch(`${front}/api/user`, { headers: { authorization: basicAuth('anthony', 'password') } })
  t.equal(ok.status, 200, 'anthony reaches /api/user through the proxy')
  const me = await ok.json() as { login: string, isGrafanaAdmin: boolean }
  t.equal(me.login, 'anthony', 'and is auto-signed-up as anthony')
  t.equal(me.isGrafanaAdmin, false)

  const anon = await fetch(`${front}/api/user`)
  t.equal(anon.status, 401, 'no credentials: the front end answers 401')
  t.match(anon.headers.get('www-authenticate') ?? '', /^Basic/)

  const wrong = await fetch(`${front}/api/user`, { headers: { authorization: basicAuth('anthony', 'nope') } })
  t.equal(wrong.status, 401, 'a wrong password never reaches Gatehouse')

  const forged = await fetch(`${front}/api/user`, { headers: { authorization: basicAuth('anthony', 'password'), 'x-webauth-user': 'admin' } })
  t.equal((await forged.json() as { login: string }).login, 'anthony', 'a client-sent X-WEBAUTH-USER is overwritten by the proxy')
}

const apache = which('apache2') ?? which('httpd')
t.test('Apache (BasicAuth + htpasswd, seed recipe) signs users in through the auth proxy', {
  skip: apache === undefined ? 'apache2 is not installed (.ci/run installs it with apt-get)' : false
}, async t => {
  const gatehouse = await gatehouseBehindProxy(t)
  const dir = runDir()
  const port = await freePort()
  const user = existsSync('/etc/debian_version') ? 'www-data' : 'daemon'
  const proc = spawn(apache!, ['-f', join(EXAMPLES, 'apache', 'httpd.conf'), '-DFOREGROUND'], {
    env: {
      ...process.env,
      LISTEN: `127.0.0.1:${port}`,
      GATEHOUSE_URL: gatehouse,
      HTPASSWD: join(dir, 'htpasswd'),
      RUN_DIR: dir,
      APACHE_MODULES: '/usr/lib/apache2/modules',
      APACHE_RUN_USER: user,
      APACHE_RUN_GROUP: user
    },
    stdio: 'ignore'
  })
  t.teardown(() => { proc.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }) })
  await waitFor(`http://127.0.0.1:${port}/`, proc, join(dir, 'error.log'))
  await behaviours(t, `http://127.0.0.1:${port}`)
})

const nginx = which('nginx')
t.test('nginx (auth_basic + proxy_set_header) signs users in through the auth proxy', {
  skip: nginx === undefined ? 'nginx is not installed (.ci/run installs it with apt-get)' : false
}, async t => {
  const gatehouse = await gatehouseBehindProxy(t)
  const dir = runDir()
  const port = await freePort()
  const vars: Record<string, string> = { LISTEN: `127.0.0.1:${port}`, GATEHOUSE_URL: gatehouse, HTPASSWD: join(dir, 'htpasswd'), RUN_DIR: dir }
  // What envsubst with an explicit variable list does: nginx's own $variables are left alone.
  const conf = readFileSync(join(EXAMPLES, 'nginx', 'nginx.conf.template'), 'utf8').replace(/\$\{(\w+)\}/g, (m, k: string) => vars[k] ?? m)
  writeFileSync(join(dir, 'nginx.conf'), conf)
  const proc = spawn(nginx!, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' })
  t.teardown(() => { proc.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }) })
  await waitFor(`http://127.0.0.1:${port}/`, proc, join(dir, 'error.log'))
  await behaviours(t, `http://127.0.0.1:${port}`)
})
