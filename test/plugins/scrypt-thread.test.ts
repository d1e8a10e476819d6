// The scrypt thread (issue 14): hash-wasm's scrypt in a worker that ends when idle. What was
// stored with Node's scrypt before must keep verifying and decrypting, parameters read from the
// database must not size an allocation, and the thread must come back after it ended.
import t from 'tap'
import { randomBytes, scryptSync } from 'node:crypto'
import { hashPassword, verifyPassword } from '../../plugins/accounts/passwords.js'
import { SCRYPT_IDLE_MS, scryptThreadRunning } from '../../plugins/crypto/scrypt.js'
import { deriveKek } from '../../plugins/secure-json/cipher.js'

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

t.test('a password hash written with Node\'s crypto.scrypt still verifies; a wrong password does not', async t => {
  const salt = randomBytes(16)
  const hash = scryptSync('pässwörd'.normalize('NFKC'), salt, 32, { N: 16384, r: 8, p: 1 })
  const stored = `scrypt$16384$8$1$${salt.toString('base64')}$${hash.toString('base64')}`
  t.equal(await verifyPassword('pässwörd', stored), true)
  t.equal(await verifyPassword('passwörd', stored), false)
})

t.test('a new hash is Node\'s crypto.scrypt of the password, in the stored format', async t => {
  const stored = await hashPassword('s3cret')
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  t.same([scheme, n, r, p], ['scrypt', '16384', '8', '1'])
  t.equal(scryptSync('s3cret', Buffer.from(salt!, 'base64'), 32, { N: 16384, r: 8, p: 1 }).toString('base64'), hash)
})

t.test('the key-encryption key is the one Node\'s scrypt derived, so stored secrets still decrypt', async t => {
  t.same(deriveKek('an installation secret'), scryptSync('an installation secret', 'gatehouse/secure-json/key-encryption-key/v1', 32, { N: 16384, r: 8, p: 1 }))
})

t.test('parameters that would need more than maxmem are refused before anything is allocated', async t => {
  // N = 2^22, r = 8: 4 GiB. Node's scrypt refused this (maxmem); so must the thread.
  await t.rejects(verifyPassword('x', 'scrypt$4194304$8$1$c2FsdA==$aGFzaA=='), /memory limit exceeded/)
  t.equal(await verifyPassword('admin', await hashPassword('admin')), true, 'the thread still works after a refusal')
})

t.test('the thread ends when idle and a later check starts it again', async t => {
  await hashPassword('warm')
  t.equal(scryptThreadRunning(), true)
  await sleep(SCRYPT_IDLE_MS + 500)
  t.equal(scryptThreadRunning(), false, 'ended after the idle window')
  const stored = await hashPassword('again')
  t.equal(await verifyPassword('again', stored), true)
  t.equal(scryptThreadRunning(), true)
})

t.test('work arriving during the idle window keeps the thread', async t => {
  await hashPassword('one')
  await sleep(SCRYPT_IDLE_MS / 2)
  await hashPassword('two')
  await sleep(SCRYPT_IDLE_MS / 2 + 200)
  t.equal(scryptThreadRunning(), true, 'the window restarted with the second job')
})
