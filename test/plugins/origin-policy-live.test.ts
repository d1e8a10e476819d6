// Grafana's TestCheckOrigin table (pkg/services/live/live_test.go) against checkLiveOrigin, with
// [live] allowed_origins read by the real config loader.
import t from 'tap'
import { tmpdir } from 'node:os'
import { checkLiveOrigin } from '../../plugins/origin-policy/live.js'
import { loadConfig } from '../../config/load.js'

const live = (allowedOrigins: string[]) => loadConfig({
  argv: [], cwd: tmpdir(), env: {}, overrides: { live: { allowed_origins: allowedOrigins.join(',') } }
}).live

const cases: Array<{ name: string, origin: string, appUrl: string, allowed: string[], host?: string, success: boolean }> = [
  { name: 'empty_origin', origin: '', appUrl: 'http://localhost:3000/', allowed: [], success: true },
  { name: 'valid_origin', origin: 'http://localhost:3000', appUrl: 'http://localhost:3000/', allowed: [], success: true },
  { name: 'valid_origin_no_port', origin: 'https://www.example.com', appUrl: 'https://www.example.com:443/grafana/', allowed: [], success: true },
  { name: 'unauthorized_origin', origin: 'http://localhost:8000', appUrl: 'http://localhost:3000/', allowed: [], success: false },
  { name: 'bad_origin', origin: ':::http://localhost:8000', appUrl: '', allowed: [], success: false },
  { name: 'different_scheme', origin: 'http://example.com', appUrl: 'https://example.com', allowed: [], success: false },
  { name: 'authorized_case_insensitive', origin: 'https://examplE.com', appUrl: 'https://example.com', allowed: [], success: true },
  { name: 'authorized_allowed_origins', origin: 'https://test.example.com', appUrl: '', allowed: ['https://test.example.com'], success: true },
  { name: 'authorized_allowed_origins_pattern', origin: 'https://test.example.com', appUrl: '', allowed: ['https://*.example.com'], success: true },
  { name: 'authorized_allowed_origins_all', origin: 'https://test.example.com', appUrl: '', allowed: ['*'], success: true },
  { name: 'request_host_matches_origin_host', origin: 'http://example.com', appUrl: 'https://example.com', allowed: [], host: 'example.com', success: true }
]

for (const c of cases) {
  t.test(c.name, async t => {
    const verdict = checkLiveOrigin(c.origin, c.host ?? '', c.appUrl, live(c.allowed))
    t.equal(verdict.allowed, c.success, verdict.rule)
  })
}

t.test('a missing Origin header is allowed like an empty one', async t => {
  t.equal(checkLiveOrigin(undefined, 'example.com', 'http://localhost:3000/', live([])).allowed, true)
})
