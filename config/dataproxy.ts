// [dataproxy] and the data-proxy key of [security]: timeouts, pooling, the target whitelist.
import type { Reader } from './reader.js'

export interface DataProxyConfig {
  /** Wait this long for the upstream's response headers (and between body chunks). */
  timeoutMs: number
  dialTimeoutMs: number
  keepAliveMs: number
  /** 0 = unlimited. */
  maxConnsPerHost: number
  /** Info line per proxied request (never the query string or headers: they may carry secrets). */
  logging: boolean
  sendUserHeader: boolean
  /** host:port entries; empty allows every target. Lower-cased. */
  whitelist: string[]
}

export function readDataProxy (r: Reader): DataProxyConfig {
  const s = 'dataproxy'
  const whitelist = r.list('security', 'data_source_proxy_whitelist').map(h => h.toLowerCase())
  for (const h of whitelist) {
    if (h.includes('/') || h.includes('@')) r.fail('security', 'data_source_proxy_whitelist', `entry "${h}" must be host:port, not a URL`)
  }
  return {
    timeoutMs: r.int(s, 'timeout', 30, { min: 1 }) * 1000,
    dialTimeoutMs: r.int(s, 'dialTimeout', 10, { min: 1 }) * 1000,
    keepAliveMs: r.int(s, 'keep_alive_seconds', 30, { min: 1 }) * 1000,
    maxConnsPerHost: r.int(s, 'max_conns_per_host', 0, { min: 0 }),
    logging: r.bool(s, 'logging', false),
    sendUserHeader: r.bool(s, 'send_user_header', false),
    whitelist
  }
}
