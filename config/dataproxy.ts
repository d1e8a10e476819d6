// [dataproxy] and the data-proxy keys of [security]: timeouts, pooling, the target whitelist,
// and the secret keys that protect data-source secrets (current plus previous, for rotation).
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

export interface SecretKeysConfig {
  /** Encrypts new data keys. */
  current: string
  /** Still accepted for decrypting data keys until `secrets rotate` has re-encrypted them. */
  previous: string[]
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

export function readSecretKeys (r: Reader): SecretKeysConfig {
  // Commas only: a secret key may legitimately contain spaces.
  const previous = r.str('security', 'previous_secret_keys').split(',').map(k => k.trim()).filter(k => k !== '')
  return { current: r.str('security', 'secret_key'), previous }
}
