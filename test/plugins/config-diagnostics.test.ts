import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspectConfig, loadConfig } from '../../config/load.js'
import { build } from '../helpers/build.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'gh-config-'))
const ini = (text: string) => {
  const file = join(tmp(), 'custom.ini')
  writeFileSync(file, text)
  return file
}
const SECRET = { GF_SECURITY_SECRET_KEY: 'a-secret-of-our-own' }

t.test('misspelled GF_ variables, ini keys and sections each get one warning naming the closest key', async t => {
  const file = ini('[server]\nhtp_port = 4000\n[servr]\nhttp_port = 5000\ndomain = x\n[cors]\nallowed_origns = https://a.example\n')
  const c = loadConfig({ argv: ['--config', file], env: { ...SECRET, GF_CORS_ALLOWED_ORIGNS: 'https://app.example', GF_SERVR_HTTP_PORT: '4000', GF_INSTALL_PLUGINS: 'x' }, cwd: '/srv' })
  t.equal(c.server.httpPort, 3000, 'nothing misspelled took effect')
  t.strictSame(c.warnings, [
    `unknown key [server] htp_port (${file}:2) ignored: did you mean [server] http_port?`,
    `unknown section [servr] (${file}:4) ignored: did you mean [server]?`,
    `unknown key [cors] allowed_origns (${file}:7) ignored: did you mean [cors] allowed_origins?`,
    'unknown environment variable GF_CORS_ALLOWED_ORIGNS ignored: did you mean [cors] allowed_origins (GF_CORS_ALLOWED_ORIGINS)?',
    'unknown environment variable GF_INSTALL_PLUGINS ignored',
    'unknown environment variable GF_SERVR_HTTP_PORT ignored: did you mean [server] http_port (GF_SERVER_HTTP_PORT)?'
  ])
})

t.test('the warnings are logged at start, one warn line each, and the server starts', async t => {
  const { logs } = await build(t, { security: { secret_key: 'a-secret-of-our-own' } }, { GF_SERVR_HTTP_PORT: '4000' })
  const lines = logs.filter(l => l.includes('logger=settings'))
  t.equal(lines.length, 1)
  t.match(lines[0], /level=warn logger=settings msg="unknown environment variable GF_SERVR_HTTP_PORT ignored: did you mean \[server\] http_port \(GF_SERVER_HTTP_PORT\)\?"/)
})

t.test('a broken section header or line stops the start naming file and line, with every other mistake', async t => {
  const file = ini('[server\nhttp_port = 4000\n[users]\njust some words\nauto_assign_org_role = Owner\n')
  const result = inspectConfig({ argv: ['--config', file], env: { GF_SERVER_HTTP_PORT: 'abc' }, cwd: '/srv' })
  t.equal(result.config, undefined)
  t.strictSame(result.errors, [
    `${file}:1: broken section header "[server" (expected [name])`,
    `${file}:4: "just some words" is not "key = value"`,
    'invalid config: [server] http_port = "abc": must be an integer',
    'invalid config: [users] auto_assign_org_role = "Owner": must be one of Viewer, Editor, Admin'
  ])
  t.throws(() => loadConfig({ argv: ['--config', file], env: {}, cwd: '/srv' }),
    { name: 'ConfigError', errors: [`${file}:1: broken section header "[server" (expected [name])`, `${file}:4: "just some words" is not "key = value"`] })
})

t.test('an empty value means the default, in an ini file and in a GF_ variable alike', async t => {
  const empty = loadConfig({ argv: [], env: { GF_SERVER_HTTP_PORT: '', GF_SERVER_DOMAIN: ' ' }, cwd: '/srv' })
  t.equal(empty.server.httpPort, 3000)
  t.equal(empty.server.rootUrl, 'http://localhost:3000/')
  const file = ini('[server]\nhttp_port =\n[auth]\nlogin_cookie_name =\n')
  const fromIni = loadConfig({ argv: ['--config', file], env: {}, cwd: '/srv' })
  t.equal(fromIni.server.rootUrl, 'http://localhost:3000/')
  t.equal(fromIni.auth.loginCookieName, 'grafana_session')
  const custom = ini('[server]\nhttp_port = 4000\n')
  t.equal(loadConfig({ argv: ['--config', custom], env: { GF_SERVER_HTTP_PORT: '' }, cwd: '/srv' }).server.httpPort, 4000,
    'an empty variable does not undo the ini file (as in Grafana)')
})

t.test('a secret_key that expands to nothing stops the start (an empty line means the shipped default)', async t => {
  const file = ini('[security]\nsecret_key = $__env{GATEHOUSE_TEST_UNSET_SECRET}\n')
  t.throws(() => loadConfig({ argv: ['--config', file], env: {}, cwd: '/srv' }),
    { name: 'ConfigError', errors: ['invalid config: [security] secret_key = "": must not be empty'] })
  const blank = loadConfig({ argv: ['--config', ini('[security]\nsecret_key =\n')], env: {}, cwd: '/srv' })
  t.equal(blank.security.secretKeys.current, loadConfig({ argv: [], env: {}, cwd: '/srv' }).security.secretKeys.current)
})

t.test('each value remembers where it came from', async t => {
  const file = ini('# mine\n[server]\ndomain = gh.example\n')
  const c = loadConfig({ argv: ['--config', file], env: { GF_SERVER_HTTP_PORT: '4000' }, cwd: '/srv' })
  t.equal(c.sources.get('server')?.get('domain'), `${file}:3`)
  t.equal(c.sources.get('server')?.get('http_port'), 'GF_SERVER_HTTP_PORT')
  t.equal(c.sources.get('server')?.get('protocol'), 'default')
})

t.test('start-up warns about the shipped secret_key and an auth proxy that trusts every peer', async t => {
  t.strictSame(loadConfig({ argv: [], env: {}, cwd: '/srv' }).warnings, [
    '[security] secret_key is the shipped default: anyone can forge what it protects; set your own (GF_SECURITY_SECRET_KEY) before going to production'
  ])
  t.strictSame(loadConfig({ argv: [], env: { ...SECRET, GF_AUTH_PROXY_ENABLED: 'true' }, cwd: '/srv' }).warnings, [
    '[auth.proxy] is enabled with an empty whitelist: any client that reaches Gatehouse can send the user header and sign in as anyone; ' +
      'list your proxy\'s address in [auth.proxy] whitelist'
  ])
  t.strictSame(loadConfig({ argv: [], env: { ...SECRET, GF_AUTH_PROXY_ENABLED: 'true', GF_AUTH_PROXY_WHITELIST: '10.0.0.5' }, cwd: '/srv' }).warnings, [])
})

t.test('log levels use Grafana\'s names: critical, not fatal', async t => {
  t.equal(loadConfig({ argv: [], env: { GF_LOG_LEVEL: 'critical' }, cwd: '/srv' }).log.level, 'critical')
  t.throws(() => loadConfig({ argv: [], env: { GF_LOG_LEVEL: 'loud' }, cwd: '/srv' }),
    { message: 'invalid config: [log] level = "loud": must be one of trace, debug, info, warn, error, critical' })
})

t.test('the configuration table gives each key its own meaning', async t => {
  // The generated table as published (test/docs/config-table.test.ts holds it current).
  const { readFileSync } = await import('node:fs')
  const table = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'configuration.md'), 'utf8')
  t.match(table, /^\| `\[security\]` \| `disable_initial_admin_creation` \| `false` \| `GF_SECURITY_DISABLE_INITIAL_ADMIN_CREATION` \| Do not create the admin user at first start\. \|$/m)
  t.match(table, /^\| `\[security\]` \| `admin_email` \| `admin@localhost` \| `GF_SECURITY_ADMIN_EMAIL` \| Email of the admin user created at first start\. \|$/m)
  t.match(table, /^\| `\[log\]` \| `level` \| `info` \| `GF_LOG_LEVEL` \| trace, debug, info, warn, error or critical \(Grafana's names\) \|$/m)
})

t.test('keys above the first section are judged one by one', async t => {
  const file = ini('app_mode = production\n[server]\nhttp_port = 4000\n')
  const c = loadConfig({ argv: ['--config', file], env: SECRET, cwd: '/srv' })
  t.equal(c.server.httpPort, 4000)
  t.strictSame(c.warnings, [`unknown key app_mode (${file}:1) ignored`])
})
