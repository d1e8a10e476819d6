// AES-256-GCM sealing, and the key-encryption key derived from a configured secret key.
// Pure functions: no Fastify, no database.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { scryptResult, scryptStart, type ScryptHandle } from '../crypto/scrypt.js'

const IV = 12
const TAG = 16
// A fixed, Gatehouse-specific salt: the secret key is per installation, so a per-installation salt
// adds nothing, and a fixed one means no extra state to lose.
const KEK_SALT = 'gatehouse/secure-json/key-encryption-key/v1'
const derived = new Map<string, Buffer>()
const started = new Map<string, ScryptHandle>()
const startDerivation = (secret: string) => scryptStart(secret, KEK_SALT, 32, { N: 1 << 14, r: 8, p: 1 })

/** Starts deriving the key of `secret` on the scrypt thread, so a later deriveKek finds it done. */
export function prederiveKek (secret: string): void {
  if (!derived.has(secret) && !started.has(secret)) started.set(secret, startDerivation(secret))
}

/** scrypt(secret) → 32 bytes, on the scrypt thread (see plugins/crypto/scrypt.ts). Memoised: derivation costs ~50 ms and happens per configured key. */
export function deriveKek (secret: string): Buffer {
  let kek = derived.get(secret)
  if (kek === undefined) {
    // Out of `started` before waiting: a derivation that failed is started afresh next time.
    const handle = started.get(secret) ?? startDerivation(secret)
    started.delete(secret)
    kek = scryptResult(handle)
    derived.set(secret, kek)
  }
  return kek
}

/** base64(iv | tag | ciphertext). `aad` binds the ciphertext to where it is stored (no swapping). */
export function seal (key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(aad))
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')
}

/** Throws when the key is wrong or the data was altered (GCM authentication). */
export function open (key: Buffer, sealed: string, aad: string): Buffer {
  const raw = Buffer.from(sealed, 'base64')
  if (raw.length < IV + TAG) throw new Error('sealed value is too short')
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV))
  decipher.setAAD(Buffer.from(aad))
  decipher.setAuthTag(raw.subarray(IV, IV + TAG))
  return Buffer.concat([decipher.update(raw.subarray(IV + TAG)), decipher.final()])
}

/** Opens with the first key that authenticates; undefined when none does. */
export function openWithAny (keys: Buffer[], sealed: string, aad: string): { plaintext: Buffer, index: number } | undefined {
  for (let i = 0; i < keys.length; i++) {
    try {
      return { plaintext: open(keys[i]!, sealed, aad), index: i }
    } catch { /* try the next key */ }
  }
  return undefined
}
