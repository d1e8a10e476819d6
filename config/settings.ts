// The typed configuration Gatehouse runs on, read from the layered ini.
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import type { Reader } from './reader.js'
import { ConfigError } from './errors.js'
import { readAuthProxy, type AuthProxyConfig } from './auth-proxy.js'
import { readDataProxy, type DataProxyConfig } from './dataproxy.js'
import { readSecretKeys, type SecretKeysConfig } from './secret-keys.js'
import { readLive, type LiveConfig } from './live.js'
import { readCors, type CorsConfig } from './cors.js'

export const ORG_ROLES = ['Viewer', 'Editor', 'Admin'] as const
export type OrgRole = typeof ORG_ROLES[number]

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'critical'] as const
export type LogLevel = typeof LOG_LEVELS[number]

export interface Config {
  paths: { data: string, logs: string, plugins: string }
  server: {
    protocol: 'http'
    httpAddr: string
    httpPort: number
    domain: string
    rootUrl: string
    /** Path of root_url without its trailing slash: "" or "/grafana". */
    appSubUrl: string
    serveFromSubPath: boolean
    routerLogging: boolean
    maxBodyBytes: number
    readTimeoutMs: number
    headersTimeoutMs: number
    keepAliveTimeoutMs: number
    /** Worker processes (node:cluster); 1 = this process serves. `auto` resolves to the core count. */
    workers: number
  }
  database: {
    type: 'embedded' | 'postgres'
    /** postgres connection string (from url, DATABASE_URL or the host/name/user keys). */
    url: string
    sslMode: 'disable' | 'require' | 'verify-ca' | 'verify-full'
    maxOpenConn: number
    connMaxLifetimeMs: number
    /** Longest wait for a PostgreSQL connection (connect or pool) before a request is answered 503. */
    connectTimeoutMs: number
    /** embedded: directory of the PGlite cluster. */
    embeddedDir: string
  }
  security: {
    disableInitialAdminCreation: boolean
    adminUser: string
    adminPassword: string
    adminEmail: string
    secretKeys: SecretKeysConfig
    cookieSecure: boolean
    cookieSameSite: 'lax' | 'strict' | 'none' | 'disabled'
    csrfTrustedOrigins: string[]
    csrfAdditionalHeaders: string[]
    /** Let CSRF refusals through, logged and counted (trying a rule before enforcing it). */
    csrfReportOnly: boolean
    disableBruteForceLoginProtection: boolean
    bruteForceLoginProtectionMaxAttempts: number
  }
  users: {
    allowSignUp: boolean
    allowOrgCreate: boolean
    autoAssignOrg: boolean
    autoAssignOrgId: number
    autoAssignOrgRole: OrgRole
  }
  auth: {
    loginCookieName: string
    loginMaximumInactiveLifetimeMs: number
    loginMaximumLifetimeMs: number
    tokenRotationIntervalMs: number
    disableLoginForm: boolean
    signoutRedirectUrl: string
    /** -1: no limit. */
    apiKeyMaxSecondsToLive: number
    basicEnabled: boolean
  }
  authProxy: AuthProxyConfig
  dataProxy: DataProxyConfig
  live: LiveConfig
  cors: CorsConfig
  log: { level: LogLevel, format: 'text' | 'json' }
  metrics: { enabled: boolean, basicAuthUsername: string, basicAuthPassword: string }
}

export interface ReadContext {
  env: NodeJS.ProcessEnv
  cwd: string
  /** true when [database] type was set by the operator (custom ini or GF_DATABASE_TYPE). */
  databaseTypeExplicit: boolean
}

export function readSettings (r: Reader, ctx: ReadContext): Config {
  const data = resolve(ctx.cwd, r.str('paths', 'data') || 'data')
  const server = r.guard(() => readServer(r))
  const database = r.guard(() => readDatabase(r, ctx, data))
  // One process owns an embedded database's files; workers would each open their own (see docs/operations.md).
  if (server !== undefined && database !== undefined && server.workers > 1 && database.type === 'embedded') {
    r.report('server', 'workers', `more than 1 needs [database] type = postgres (the embedded database has one owner process): ${server.workers} workers`)
  }
  return {
    paths: {
      data,
      logs: resolve(ctx.cwd, r.str('paths', 'logs') || 'data/log'),
      plugins: resolve(ctx.cwd, r.str('paths', 'plugins') || 'data/plugins')
    },
    server,
    database,
    security: {
      disableInitialAdminCreation: r.bool('security', 'disable_initial_admin_creation', false),
      adminUser: r.str('security', 'admin_user') || 'admin',
      adminPassword: r.str('security', 'admin_password'),
      adminEmail: r.str('security', 'admin_email'),
      secretKeys: r.guard(() => readSecretKeys(r)),
      cookieSecure: r.bool('security', 'cookie_secure', false),
      cookieSameSite: r.oneOf('security', 'cookie_samesite', ['lax', 'strict', 'none', 'disabled'], 'lax'),
      csrfTrustedOrigins: r.list('security', 'csrf_trusted_origins'),
      csrfAdditionalHeaders: r.list('security', 'csrf_additional_headers'),
      csrfReportOnly: r.bool('security', 'csrf_report_only', false),
      disableBruteForceLoginProtection: r.bool('security', 'disable_brute_force_login_protection', false),
      // Grafana coerces values <= 0 to 1; a typo that disables protection deserves an error instead.
      bruteForceLoginProtectionMaxAttempts: r.int('security', 'brute_force_login_protection_max_attempts', 5, { min: 1 })
    },
    users: {
      allowSignUp: r.bool('users', 'allow_sign_up', false),
      allowOrgCreate: r.bool('users', 'allow_org_create', false),
      autoAssignOrg: r.bool('users', 'auto_assign_org', true),
      autoAssignOrgId: r.int('users', 'auto_assign_org_id', 1, { min: 1 }),
      autoAssignOrgRole: r.oneOf('users', 'auto_assign_org_role', ORG_ROLES, 'Viewer')
    },
    auth: {
      loginCookieName: r.guard(() => r.nonEmpty('auth', 'login_cookie_name')),
      loginMaximumInactiveLifetimeMs: r.duration('auth', 'login_maximum_inactive_lifetime_duration', '7d', 'm'),
      loginMaximumLifetimeMs: r.duration('auth', 'login_maximum_lifetime_duration', '30d', 'm'),
      tokenRotationIntervalMs: r.int('auth', 'token_rotation_interval_minutes', 10, { min: 1 }) * 60_000,
      disableLoginForm: r.bool('auth', 'disable_login_form', false),
      signoutRedirectUrl: r.str('auth', 'signout_redirect_url'),
      apiKeyMaxSecondsToLive: r.int('auth', 'api_key_max_seconds_to_live', -1, { min: -1 }),
      basicEnabled: r.bool('auth.basic', 'enabled', true)
    },
    authProxy: r.guard(() => readAuthProxy(r)),
    dataProxy: r.guard(() => readDataProxy(r)),
    live: r.guard(() => readLive(r)),
    cors: r.guard(() => readCors(r)),
    log: {
      // Grafana's level names; pino calls critical "fatal" (the logger maps it).
      level: r.oneOf('log', 'level', LOG_LEVELS, 'info', { fatal: 'critical', crit: 'critical' }),
      format: r.oneOf('log.console', 'format', ['text', 'json'], 'text', { console: 'text', logfmt: 'text' })
    },
    metrics: {
      enabled: r.bool('metrics', 'enabled', true),
      basicAuthUsername: r.str('metrics', 'basic_auth_username'),
      basicAuthPassword: r.str('metrics', 'basic_auth_password')
    }
  }
}

function readServer (r: Reader): Config['server'] {
  r.oneOf('server', 'protocol', ['http'], 'http')
  const errors = r.errors.length
  const port = r.int('server', 'http_port', 3000, { min: 0, max: 65535 })
  // root_url is built from http_port: a bad port is one mistake, not two.
  const root = r.errors.length > errors ? new URL('http://localhost/') : r.url('server', 'root_url')
  if (root.protocol !== 'http:' && root.protocol !== 'https:') r.fail('server', 'root_url', 'must be an http or https URL')
  const path = root.pathname.endsWith('/') ? root.pathname : `${root.pathname}/`
  return {
    protocol: 'http',
    httpAddr: r.str('server', 'http_addr'),
    httpPort: port,
    domain: r.str('server', 'domain') || 'localhost',
    rootUrl: `${root.origin}${path}`,
    appSubUrl: path.slice(0, -1),
    serveFromSubPath: r.bool('server', 'serve_from_sub_path', false),
    routerLogging: r.bool('server', 'router_logging', false),
    maxBodyBytes: r.int('server', 'max_body_bytes', 1_048_576, { min: 1024 }),
    readTimeoutMs: r.duration('server', 'read_timeout', '30s'),
    headersTimeoutMs: r.duration('server', 'headers_timeout', '10s'),
    keepAliveTimeoutMs: r.duration('server', 'keep_alive_timeout', '72s'),
    workers: readWorkers(r)
  }
}

function readWorkers (r: Reader): number {
  const text = r.str('server', 'workers').toLowerCase()
  if (text === 'auto') return availableParallelism()
  if (text !== '' && !/^\d+$/.test(text)) r.fail('server', 'workers', 'must be a number of processes or auto')
  return r.int('server', 'workers', 1, { min: 1, max: 64 })
}

function readDatabase (r: Reader, ctx: ReadContext, dataDir: string): Config['database'] {
  const envUrl = ctx.env.DATABASE_URL?.trim() ?? ''
  const iniUrl = r.str('database', 'url')
  let type = r.oneOf('database', 'type', ['embedded', 'postgres'], 'embedded', { postgresql: 'postgres', pglite: 'embedded' })
  // As in Grafana, [database] url (ini or GF_DATABASE_URL) decides the type by its scheme: an
  // operator who set only the URL must never find the data in an embedded directory instead.
  if (iniUrl !== '') {
    const fromUrl = urlType(iniUrl, '[database] url')
    if (ctx.databaseTypeExplicit && type !== fromUrl) {
      throw new ConfigError(`invalid config: [database] type = "${type}" contradicts [database] url, which names a ${fromUrl} database: set one of them`)
    }
    type = fromUrl
  } else if (!ctx.databaseTypeExplicit && envUrl !== '') {
    type = urlType(envUrl, 'DATABASE_URL')
  }
  const sslMode = r.oneOf('database', 'ssl_mode', ['disable', 'require', 'verify-ca', 'verify-full'], 'disable')
  let url = iniUrl || envUrl
  if (type === 'postgres') {
    if (url === '') url = urlFromParts(r)
    urlType(url, '[database] url')
  }
  return {
    type,
    url,
    sslMode,
    maxOpenConn: r.int('database', 'max_open_conn', 10, { min: 1 }),
    connMaxLifetimeMs: r.duration('database', 'conn_max_lifetime', '14400s'),
    connectTimeoutMs: r.duration('database', 'connect_timeout', '10s'),
    embeddedDir: resolve(dataDir, 'db')
  }
}

/** The database type a URL names; a scheme Gatehouse does not serve (mysql://, sqlite3://) stops the start. */
function urlType (url: string, key: string): 'postgres' {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ConfigError(`invalid config: ${key}: not a valid postgres:// URL`)
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`invalid config: ${key}: scheme must be postgres:// or postgresql://, got ${parsed.protocol}// (Gatehouse serves PostgreSQL or its embedded database)`)
  }
  return 'postgres'
}

/** Where a postgres URL points, for the start-up line: host and database name, never the credentials. */
export function describeDatabaseUrl (url: string): { host: string, database: string } {
  try {
    const u = new URL(url)
    const host = u.searchParams.get('host') ?? `${u.hostname}${u.port !== '' ? ':' + u.port : ''}`
    return { host, database: decodeURIComponent(u.pathname.replace(/^\//, '')) }
  } catch {
    return { host: '', database: '' }
  }
}

function urlFromParts (r: Reader): string {
  const hostPort = r.str('database', 'host') || '127.0.0.1:5432'
  const [host, port] = hostPort.startsWith('/') ? [hostPort, ''] : splitHostPort(hostPort)
  const u = new URL('postgres://placeholder')
  u.username = encodeURIComponent(r.str('database', 'user'))
  u.password = encodeURIComponent(r.str('database', 'password'))
  if (host.startsWith('/')) {
    u.searchParams.set('host', host)
    u.hostname = 'localhost'
  } else {
    u.hostname = host
    if (port !== '') u.port = port
  }
  u.pathname = `/${encodeURIComponent(r.str('database', 'name') || 'gatehouse')}`
  return u.toString()
}

function splitHostPort (hostPort: string): [string, string] {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort) ?? /^([^:]+)(?::(\d+))?$/.exec(hostPort)
  return m === null ? [hostPort, ''] : [m[1]!.includes(':') ? `[${m[1]}]` : m[1]!, m[2] ?? '']
}
