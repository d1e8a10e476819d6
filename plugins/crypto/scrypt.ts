// scrypt on one thread of its own: password hashes and checks (asynchronous) and the secure-json
// key-encryption key (synchronous, at start) all run on the same worker thread.
//
// Why (issue 14): scrypt at Gatehouse's cost (N=16384, r=8) allocates 16 MB per call. glibc keeps
// that much resident in the arena of every thread that ever ran one (its mmap threshold rises past
// 16 MB after the first such block is freed), so crypto.scrypt across libuv's four pool threads
// and scryptSync on the main thread held up to 5 × 16 MB: 54 MB of a PostgreSQL server's idle RSS
// after a first start and one basic-auth request. One thread holds one such block (plus ~10 MB for
// the worker). Checks queue behind each other there; at ~50 ms each and two cores, the pool ran
// at most two at a time anyway.
import { Worker } from 'node:worker_threads'
import type { ScryptOptions } from 'node:crypto'

// A CommonJS script evaluated in the worker: no file to find under dist/ or beside the .ts source.
const WORKER = `
const { parentPort } = require('node:worker_threads')
const { scryptSync } = require('node:crypto')
parentPort.on('message', ({ id, password, salt, keylen, options, shared }) => {
  let key, error
  try { key = scryptSync(password, salt, keylen, options) } catch (err) { error = err }
  if (shared !== undefined) {
    const flag = new Int32Array(shared, 0, 1)
    if (key !== undefined) new Uint8Array(shared, 4).set(key)
    Atomics.store(flag, 0, key !== undefined ? 1 : 2)
    Atomics.notify(flag, 0)
  } else {
    parentPort.postMessage({ id, key, error })
  }
})`

interface Pending { resolve: (key: Buffer) => void, reject: (err: Error) => void }

let worker: Worker | undefined
let nextId = 0
const pending = new Map<number, Pending>()

function thread (): Worker {
  if (worker !== undefined) return worker
  const w = new Worker(WORKER, { eval: true, name: 'scrypt' })
  w.on('message', ({ id, key, error }: { id: number, key?: Uint8Array, error?: Error }) => {
    const p = pending.get(id)
    if (p === undefined) return
    pending.delete(id)
    if (pending.size === 0) w.unref()
    if (key !== undefined) p.resolve(Buffer.from(key.buffer, key.byteOffset, key.byteLength))
    else p.reject(error ?? new Error('scrypt failed'))
  })
  const fail = (err: Error) => {
    if (worker === w) worker = undefined
    for (const p of pending.values()) p.reject(err)
    pending.clear()
  }
  w.on('error', fail)
  w.on('exit', code => fail(new Error(`scrypt thread exited (${code})`)))
  // Idle, it must not keep a finished process (a CLI command) alive; busy, it must.
  w.unref()
  worker = w
  return w
}

/** crypto.scrypt, run on the scrypt thread. */
export function scrypt (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const w = thread()
    const id = nextId++
    pending.set(id, { resolve, reject })
    if (pending.size === 1) w.ref()
    w.postMessage({ id, password, salt, keylen, options })
  })
}

/** A derivation started on the scrypt thread; `scryptResult` waits for it. */
export interface ScryptHandle { shared: SharedArrayBuffer, keylen: number }

/** Starts crypto.scryptSync on the scrypt thread and returns at once. */
export function scryptStart (password: string, salt: string, keylen: number, options: ScryptOptions): ScryptHandle {
  const shared = new SharedArrayBuffer(4 + keylen)
  thread().postMessage({ password, salt, keylen, options, shared })
  return { shared, keylen }
}

/** The key of a started derivation, waiting for it here if it is not done (as scryptSync would block). */
export function scryptResult ({ shared }: ScryptHandle): Buffer {
  const flag = new Int32Array(shared, 0, 1)
  // A thread that died cannot answer: give up long after any real derivation would have finished.
  if (Atomics.wait(flag, 0, 0, 60_000) === 'timed-out') throw new Error('scrypt thread did not answer')
  if (Atomics.load(flag, 0) !== 1) throw new Error('scrypt failed')
  return Buffer.from(new Uint8Array(shared, 4).slice())
}

/** crypto.scryptSync, run on the scrypt thread while this one waits. */
export function scryptSync (password: string, salt: string, keylen: number, options: ScryptOptions): Buffer {
  return scryptResult(scryptStart(password, salt, keylen, options))
}
