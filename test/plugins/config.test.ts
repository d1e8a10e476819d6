import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../config/load.js'
import { parseDuration } from '../../config/duration.js'

const load = (env: NodeJS.ProcessEnv = {}, argv: string[] = []) => loadConfig({ argv, env, cwd: '/srv/gh' })
const tmp = () => mkdtempSync(join(tmpdir(), 'gh-config-'))

t.test('defaults: port 3000, root_url built by interpolation, embedded database under ./data', async t => {
  const c = load()
  t.equal(c.server.httpPort, 3000)
  t.equal(c.server.rootUrl, 'http://localhost:3000/')
  t.equal(c.server.appSubUrl, '')
  t.equal(c.database.type, 'embedded')
  t.equal(c.paths.data, '/srv/gh/data')
  t.equal(c.database.embeddedDir, '/srv/gh/data/db')
  t.equal(c.auth.loginCookieName, 'grafana_session')
  t.equal(c.auth.loginMaximumInactiveLifetimeMs, 7 * 86_400_000)
  t.equal(c.auth.loginMaximumLifetimeMs, 30 * 86_400_000)
  t.equal(c.security.bruteForceLoginProtectionMaxAttempts, 5)
  t.equal(c.users.autoAssignOrgRole, 'Viewer')
})

t.test('GF_ variables override any key, and root_url follows the port', async t => {
  const c = load({
    GF_SERVER_HTTP_PORT: '4000',
    GF_AUTH_BASIC_ENABLED: 'false',
    GF_AUTH_PROXY_HEADER_NAME: 'X-User',
    GF_PATHS_DATA: '/var/lib/gh',
    GF_LOG_CONSOLE_FORMAT: 'json'
  })
  t.equal(c.server.httpPort, 4000)
  t.equal(c.server.rootUrl, 'http://localhost:4000/')
  t.equal(c.auth.basicEnabled, false)
  t.equal(c.authProxy.headerName, 'x-user')
  t.equal(c.paths.data, '/var/lib/gh')
  t.equal(c.log.format, 'json')
})

t.test('a custom ini via --config or GF_PATHS_CONFIG, with env still winning', async t => {
  const dir = tmp()
  const file = join(dir, 'custom.ini')
  writeFileSync(file, '[server]\nhttp_port = 5000\ndomain = grafana.example.com\n[users]\nauto_assign_org_role = Editor\n')
  t.equal(load({}, ['--config', file]).server.rootUrl, 'http://grafana.example.com:5000/')
  t.equal(load({}, [`--config=${file}`]).users.autoAssignOrgRole, 'Editor')
  t.equal(load({ GF_PATHS_CONFIG: file }).server.httpPort, 5000)
  t.equal(load({ GF_PATHS_CONFIG: file, GF_SERVER_HTTP_PORT: '6000' }).server.httpPort, 6000)
})

t.test('$__env{}, ${} and $__file{} expansions, and Grafana\'s triple-quoted values', async t => {
  const dir = tmp()
  writeFileSync(join(dir, 'secret'), 'from-a-file\n')
  const file = join(dir, 'custom.ini')
  writeFileSync(file,
    `[security]\nsecret_key = $__file{${join(dir, 'secret')}}\nadmin_password = """p#ss;word"""\nadmin_email = \${MAIL}\n[server]\ndomain = $__env{DOMAIN}\n`)
  const c = load({ DOMAIN: 'gh.example', MAIL: 'ops@example.com' }, ['--config', file])
  t.equal(c.security.secretKeys.current, 'from-a-file')
  t.equal(c.security.adminPassword, 'p#ss;word')
  t.equal(c.security.adminEmail, 'ops@example.com')
  t.equal(c.server.domain, 'gh.example')
})

t.test('DATABASE_URL selects PostgreSQL unless a type is set explicitly', async t => {
  const url = 'postgres://u:p@db:5432/gh'
  t.match(load({ DATABASE_URL: url }).database, { type: 'postgres', url })
  t.equal(load({ DATABASE_URL: url, GF_DATABASE_TYPE: 'embedded' }).database.type, 'embedded')
  const parts = load({
    GF_DATABASE_TYPE: 'postgres', GF_DATABASE_HOST: 'db.internal:6543', GF_DATABASE_USER: 'gh', GF_DATABASE_PASSWORD: 'p@ss', GF_DATABASE_NAME: 'gate'
  }).database
  t.equal(parts.url, 'postgres://gh:p%40ss@db.internal:6543/gate')
})

t.test('bad values fail with one line naming the key and the value', async t => {
  const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ GF_SERVER_HTTP_PORT: 'abc' }, /^invalid config: \[server\] http_port = "abc": must be an integer$/],
    [{ GF_SERVER_HTTP_PORT: '70000' }, /\[server\] http_port = "70000": must be at most 65535/],
    [{ GF_AUTH_LOGIN_MAXIMUM_LIFETIME_DURATION: 'forever' }, /\[auth\] login_maximum_lifetime_duration = "forever": must be a duration/],
    [{ GF_DATABASE_TYPE: 'mysql' }, /\[database\] type = "mysql": must be one of embedded, postgres/],
    [{ GF_SERVER_ROOT_URL: 'not a url' }, /\[server\] root_url = "not a url"/],
    [{ GF_SECURITY_COOKIE_SAMESITE: 'sometimes' }, /\[security\] cookie_samesite = "sometimes"/],
    [{ GF_AUTH_BASIC_ENABLED: 'maybe' }, /\[auth\.basic\] enabled = "maybe": must be true or false/],
    [{ GF_USERS_AUTO_ASSIGN_ORG_ROLE: 'Owner' }, /\[users\] auto_assign_org_role = "Owner"/],
    [{ GF_DATABASE_URL: 'mysql://x/y', GF_DATABASE_TYPE: 'postgres' }, /\[database\] url: scheme must be postgres/],
    [{ GF_PATHS_CONFIG: '/nonexistent/custom.ini' }, /cannot read config file \/nonexistent\/custom\.ini: ENOENT/],
    [{ GF_LIVE_HA_ENGINE: 'redis', GF_LIVE_HA_ENGINE_ADDRESS: 'redis://cache:6379' }, /\[live\] ha_engine_address = "redis:\/\/cache:6379": expected host:port/],
    [{ GF_LIVE_HA_ENGINE: 'redis', GF_LIVE_HA_ENGINE_ADDRESS: 'cache:99999' }, /\[live\] ha_engine_address = "cache:99999"/]
  ]
  for (const [env, message] of cases) {
    t.throws(() => load(env), { name: 'ConfigError', message }, JSON.stringify(env))
  }
})

t.test('[live] ha_engine_address: host:port, [ipv6]:port or a bare host (port 6379)', async t => {
  const live = (address: string) => load({ GF_LIVE_HA_ENGINE: 'redis', GF_LIVE_HA_ENGINE_ADDRESS: address }).live
  t.match(live('cache.internal:6380'), { haEngineHost: 'cache.internal', haEnginePort: 6380, haEngineAddress: 'cache.internal:6380' })
  t.match(live('[::1]:7000'), { haEngineHost: '::1', haEnginePort: 7000 })
  t.match(live('cache'), { haEngineHost: 'cache', haEnginePort: 6379 })
})

t.test('Grafana durations', async t => {
  t.equal(parseDuration('7d'), 7 * 86_400_000)
  t.equal(parseDuration('1h30m'), 5_400_000)
  t.equal(parseDuration('500ms'), 500)
  t.equal(parseDuration('90', 'm'), 90 * 60_000)
  t.equal(parseDuration('1 day'), undefined)
  t.equal(parseDuration('5x'), undefined)
})
