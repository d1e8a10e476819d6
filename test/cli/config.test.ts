// `gatehouse config check|show`, `--help` and exit codes, run as the real command.
import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.js'

// Each case starts real processes, on a machine that may be busy.
t.setTimeout(300_000)

const ini = (text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'gh-cli-')), 'custom.ini')
  writeFileSync(file, text)
  return file
}

t.test('every command answers --help with its usage and exit code 0', async t => {
  const commands = [[], ['admin'], ['admin', 'reset-admin-password'], ['serviceaccounts'], ['serviceaccounts', 'create-token'],
    ['config'], ['config', 'check'], ['config', 'show'], ['migrate'], ['secrets'], ['secrets', 'rotate']]
  const results = await Promise.all(commands.map(command => runCli([...command, '--help'])))
  commands.forEach((command, i) => {
    t.equal(results[i]!.code, 0, command.join(' '))
    t.match(results[i]!.stdout, new RegExp(`^Usage: gatehouse ${command.join(' ')}`), command.join(' '))
  })
})

t.test('usage mistakes exit 2 with the reason on stderr', async t => {
  const unknown = await runCli(['frobnicate'])
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, /^error: unknown command 'frobnicate'/)
  const role = await runCli(['serviceaccounts', 'create-token', '--name', 'ci', '--role', 'Owner'])
  t.equal(role.code, 2)
  t.match(role.stderr, /argument 'Owner' is invalid\. Allowed choices are Viewer, Editor, Admin/)
  const ttl = await runCli(['serviceaccounts', 'create-token', '--name', 'ci', '--ttl', 'forever'])
  t.equal(ttl.code, 2)
  t.equal(ttl.stderr, 'gatehouse: --ttl must be a duration such as 3600s, 12h or 30d, got "forever"\n')
  const password = await runCli(['admin', 'reset-admin-password'])
  t.equal(password.code, 2)
  t.equal(password.stderr, 'gatehouse: give the new password or --password-from-stdin (one of them)\n')
})

t.test('config check prints every error at once and exits 2', async t => {
  const file = ini('[server\n[users]\nauto_assign_org_role = Owner\n')
  const r = await runCli(['--config', file, 'config', 'check'], { GF_SERVER_HTTP_PORT: 'abc', GF_SERVR_DOMAIN: 'x' })
  t.equal(r.code, 2)
  t.equal(r.stderr, [
    `gatehouse: ${file}:1: broken section header "[server" (expected [name])`,
    'gatehouse: invalid config: [server] http_port = "abc": must be an integer',
    'gatehouse: invalid config: [users] auto_assign_org_role = "Owner": must be one of Viewer, Editor, Admin',
    ''
  ].join('\n'))
  t.equal(r.stdout, 'warning: unknown environment variable GF_SERVR_DOMAIN ignored: did you mean [server] domain (GF_SERVER_DOMAIN)?\n')
})

t.test('config check of a good configuration exits 0 and names the files read', async t => {
  const file = ini('[security]\nsecret_key = not-the-default\n')
  const r = await runCli(['config', 'check'], { GF_PATHS_CONFIG: file })
  t.equal(r.code, 0)
  t.match(r.stdout, new RegExp(`^configuration OK \\(\\S+/conf/defaults\\.ini, ${file}\\)\\n$`))
})

t.test('config show prints each value with its origin and masks secrets', async t => {
  const file = ini('[security]\nsecret_key = my-very-secret\nadmin_password = """hunter#2"""\n[server]\n\ndomain = gh.example\n')
  const r = await runCli(['--config', file, 'config', 'show'], { GF_SERVER_HTTP_PORT: '4000', GF_DATABASE_URL: 'postgres://gh:dbpass@db/gh', GF_LIVE_HA_ENGINE_PASSWORD: 'redispass' })
  t.equal(r.code, 0)
  t.notMatch(r.stdout, /my-very-secret|hunter|dbpass|redispass/)
  t.match(r.stdout, /^secret_key = \*{5} +; .+custom\.ini:2$/m)
  t.match(r.stdout, /^admin_password = \*{5} +; .+custom\.ini:3$/m)
  t.match(r.stdout, /^domain = gh\.example +; .+custom\.ini:6$/m)
  t.match(r.stdout, /^http_port = 4000 +; GF_SERVER_HTTP_PORT$/m)
  t.match(r.stdout, /^root_url = http:\/\/gh\.example:4000\/ +; default$/m)
  t.match(r.stdout, /^url = postgres:\/\/gh:\*{5}@db\/gh +; GF_DATABASE_URL$/m)
  t.match(r.stdout, /^ha_engine_password = \*{5} +; GF_LIVE_HA_ENGINE_PASSWORD$/m)
  const section = await runCli(['--config', file, 'config', 'show', '--section', 'auth.proxy'])
  t.equal(section.code, 0)
  t.match(section.stdout, /^\[auth\.proxy\]\nenabled = false +; default\n/)
  t.notMatch(section.stdout, /\[server\]/)
})
