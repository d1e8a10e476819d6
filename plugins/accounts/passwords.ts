// Password hashing: scrypt with a per-user random salt, encoded with its parameters so they can evolve.
import { randomBytes, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { scrypt as scryptOnThread } from '../crypto/scrypt.js'

const N = 16384
const R = 8
const P = 1
const KEYLEN = 32

function scrypt (password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return scryptOnThread(password.normalize('NFKC'), salt, keylen, { ...opts, maxmem: 64 * 1024 * 1024 })
}

export async function hashPassword (password: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scrypt(password, salt, KEYLEN, { N, r: R, p: P })
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`
}

export async function verifyPassword (password: string, encoded: string | null): Promise<boolean> {
  if (encoded === null) return false
  const [scheme, n, r, p, salt, hash] = encoded.split('$')
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, 'base64')
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) })
  return timingSafeEqual(actual, expected)
}

/** Spend the same time as a real check, so unknown logins cannot be told apart by timing. */
let dummy: Promise<string> | undefined
export async function burnPasswordCheck (password: string): Promise<void> {
  dummy ??= hashPassword('gatehouse-dummy')
  await verifyPassword(password, await dummy)
}
