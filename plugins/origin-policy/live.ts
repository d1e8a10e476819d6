// Grafana Live's websocket origin rule (pkg/services/live getCheckOriginFunc), kept exact so
// Grafana's own TestCheckOrigin table holds, plus the origins [cors] trusts with credentials.
import type { LiveConfig } from '../../config/live.js'
import type { OriginVerdict } from './rules.js'

export function checkLiveOrigin (
  origin: string | undefined, host: string | undefined, rootUrl: string, live: Pick<LiveConfig, 'allowAnyOrigin' | 'allowedOrigins' | 'allowedOriginGlobs'>
): OriginVerdict {
  if (origin === undefined || origin === '') return { allowed: true, rule: 'no-origin' }
  if (live.allowAnyOrigin) return { allowed: true, rule: 'live-any' }
  let url: URL
  try {
    url = new URL(origin.toLowerCase())
  } catch {
    return { allowed: false, rule: 'live-not-url' }
  }
  // Go's url.Parse accepts "scheme:opaque" forms the WHATWG parser reads as an empty host.
  if (url.host === '') return { allowed: false, rule: 'live-no-host' }
  if (host !== undefined && host !== '' && url.host === host.toLowerCase()) return { allowed: true, rule: 'same-host' }
  let app: URL | undefined
  try {
    app = new URL(rootUrl)
  } catch {}
  if (app !== undefined && url.protocol === app.protocol) {
    // Go keeps an explicit default port in Host; the origin port is compared only when it has one.
    const explicitPort = /^[^:]+:\/\/(\[[^\]]*\]|[^:/]*):(\d+)/.exec(origin)?.[2]
    const sameHost = url.hostname === app.hostname.toLowerCase()
    if (sameHost && (explicitPort === undefined || explicitPort === (app.port || defaultPort(app.protocol)))) {
      return { allowed: true, rule: 'live-root-url' }
    }
  }
  for (let i = 0; i < live.allowedOriginGlobs.length; i++) {
    if (live.allowedOriginGlobs[i]!.test(origin)) return { allowed: true, rule: 'live-listed', pattern: live.allowedOrigins[i]! }
  }
  return { allowed: false, rule: 'live-not-listed' }
}

function defaultPort (protocol: string): string {
  return protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : ''
}
