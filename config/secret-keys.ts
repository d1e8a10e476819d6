// [security] secret_key and previous_secret_keys: the key that signs session tokens and protects
// data-source secrets, and the keys it replaced (still opening stored data keys until rotation).
import type { Reader } from './reader.js'

export interface SecretKeysConfig {
  /** Hashes session tokens and encrypts new data keys. */
  current: string
  /** Still accepted for decrypting data keys until `secrets rotate` has re-encrypted them. */
  previous: string[]
}

export function readSecretKeys (r: Reader): SecretKeysConfig {
  const current = r.nonEmpty('security', 'secret_key')
  // Commas only: a secret key may legitimately contain spaces.
  const previous = r.str('security', 'previous_secret_keys').split(',').map(k => k.trim()).filter(k => k !== '')
  return { current, previous }
}
