// Encrypts and decrypts a data source's secureJsonData map, value by value:
// '#<data key id>#<base64(iv | tag | ciphertext)>', bound to its org and field name.
import { open, seal } from './cipher.js'
import type { DataKeys } from './data-keys.js'

const fieldAad = (orgId: number, field: string) => `gatehouse secure json org ${orgId} field ${field}`

export class SecureJson {
  constructor (private readonly keys: DataKeys) {}

  /** Empty values are dropped: Grafana lists only non-empty secrets, and "" means "cleared". */
  async encrypt (orgId: number, values: Record<string, string>): Promise<Record<string, string>> {
    const out: Record<string, string> = {}
    const entries = Object.entries(values).filter(([, v]) => v !== '')
    if (entries.length === 0) return out
    const { id, key } = await this.keys.active(orgId)
    for (const [field, value] of entries) out[field] = `#${id}#${seal(key, Buffer.from(value, 'utf8'), fieldAad(orgId, field))}`
    return out
  }

  async decrypt (orgId: number, stored: Record<string, string>): Promise<Record<string, string>> {
    const out: Record<string, string> = {}
    for (const [field, value] of Object.entries(stored)) {
      const m = /^#([A-Za-z0-9_-]+)#(.+)$/.exec(value)
      // Never echo the value: even a malformed one may be a secret.
      if (m === null) throw new Error(`secure json field ${field} is not in the expected format`)
      const key = await this.keys.get(m[1]!)
      out[field] = open(key, m[2]!, fieldAad(orgId, field)).toString('utf8')
    }
    return out
  }
}
