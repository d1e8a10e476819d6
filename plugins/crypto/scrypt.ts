// scrypt on one thread of its own: password hashes and checks (asynchronous) and the secure-json
// key-encryption key (synchronous, at start) all run on the same worker thread, which ends when
// it has been idle for a few seconds.
//
// Why (issue 14): scrypt at Gatehouse's cost (N=16384, r=8) needs 16 MB per call. Node's scrypt
// (OpenSSL) mallocs it, and glibc keeps that much resident in the arena of every thread that ever
// ran one (its mmap threshold rises past 16 MB after the first such block is freed): 54 MB of a
// PostgreSQL server's idle RSS when libuv's pool and the main thread ran them, 17 MB when one
// thread did, for the life of the process. hash-wasm's scrypt (the same function, as fast here:
// ~27 ms vs ~24 ms) works in a WebAssembly memory, which V8 maps and unmaps itself, so an ended
// thread gives back everything it used. Checks run one after another there; at ~30 ms each and
// two cores, a pool would run at most two at a time anyway.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { ScryptOptions } from 'node:crypto'

// A CommonJS script evaluated in the worker: no file to find under dist/ or beside the .ts source.
// Every job is answered by a message, also those whose key goes through shared memory: the
// thread counts what is outstanding to know when it is idle. The maxmem check is Node's (its
// default, 32 MiB): a hash's parameters come from the database and must not size an allocation.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { scrypt } = require(workerData.hashWasm)
parentPort.on('message', async ({ id, password, salt, keylen, options, shared }) => {
  let key, error
  try {
    const { N = 16384, r = 8, p = 1, maxmem = 32 << 20 } = options
    if (128 * N * r > maxmem) throw new RangeError('Invalid scrypt params: memory limit exceeded')
    key = await scrypt({ password, salt, costFactor: N, blockSize: r, parallelism: p, hashLength: keylen, outputType: 'binary' })
  } catch (err) { error = err }
  if (shared !== undefined) {
    const flag = new Int32Array(shared, 0, 1)
    if (key !== undefined) new Uint8Array(shared, 4).set(key)
    Atomics.store(flag, 0, key !== undefined ? 1 : 2)
    Atomics.notify(flag, 0)
    parentPort.postMessage({ id })
  } else {
    parentPort.postMessage({ id, key, error })
  }
})`

// An idle thread is ended: its V8 isolate is ~6 MB of RSS (issue 14), and a new one starts in
// ~30 ms, about what the derivation that needs it takes.
export const SCRYPT_IDLE_MS = 5_000

interface Pending { resolve: (key: Buffer) => void, reject: (err: Error) => void }

let worker: Worker | undefined
let idleTimer: NodeJS.Timeout | undefined
let nextId = 0
const pending = new Map<number, Pending | undefined>()

function thread (): Worker {
  clearTimeout(idleTimer)
  if (worker !== undefined) return worker
  const hashWasm = createRequire(import.meta.url).resolve('hash-wasm/dist/scrypt.umd.min.js')
  const w = new Worker(WORKER, { eval: true, name: 'scrypt', workerData: { hashWasm } })
  w.on('message', ({ id, key, error }: { id: number, key?: Uint8Array, error?: Error }) => {
    if (!pending.has(id)) return
    const p = pending.get(id)
    pending.delete(id)
    if (pending.size === 0) idle(w)
    if (p === undefined) return
    if (key !== undefined) p.resolve(Buffer.from(key.buffer, key.byteOffset, key.byteLength))
    else p.reject(error ?? new Error('scrypt failed'))
  })
  const fail = (err: Error) => {
    if (worker !== w) return
    worker = undefined
    clearTimeout(idleTimer)
    for (const p of pending.values()) p?.reject(err)
    pending.clear()
  }
  w.on('error', fail)
  w.on('exit', code => fail(new Error(`scrypt thread exited (${code})`)))
  // Idle, it must not keep a finished process (a CLI command) alive; busy, it must.
  w.unref()
  worker = w
  return w
}

function idle (w: Worker): void {
  w.unref()
  idleTimer = setTimeout(() => {
    if (worker !== w || pending.size > 0) return
    worker = undefined
    w.terminate().catch(() => {}) // it ends either way; nothing is waiting on it
  }, SCRYPT_IDLE_MS).unref()
}

function submit (job: { password: string, salt: Buffer | string, keylen: number, options: ScryptOptions, shared?: SharedArrayBuffer }, p?: Pending): void {
  const w = thread()
  const id = nextId++
  pending.set(id, p)
  if (pending.size === 1) w.ref()
  w.postMessage({ id, ...job })
}

/** Whether the scrypt thread is running (it ends after SCRYPT_IDLE_MS without work). */
export function scryptThreadRunning (): boolean {
  return worker !== undefined
}

/** crypto.scrypt, run on the scrypt thread. */
export function scrypt (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => submit({ password, salt, keylen, options }, { resolve, reject }))
}

/** A derivation started on the scrypt thread; `scryptResult` waits for it. */
export interface ScryptHandle { shared: SharedArrayBuffer }

/** Starts a derivation on the scrypt thread and returns at once. */
export function scryptStart (password: string, salt: string, keylen: number, options: ScryptOptions): ScryptHandle {
  const shared = new SharedArrayBuffer(4 + keylen)
  submit({ password, salt, keylen, options, shared })
  return { shared }
}

/** The key of a started derivation, waiting for it here (blocking, as scryptSync would) if it is not done. */
export function scryptResult ({ shared }: ScryptHandle): Buffer {
  const flag = new Int32Array(shared, 0, 1)
  // A thread that died cannot answer: give up long after any real derivation would have finished.
  if (Atomics.wait(flag, 0, 0, 60_000) === 'timed-out') throw new Error('scrypt thread did not answer')
  if (Atomics.load(flag, 0) !== 1) throw new Error('scrypt failed')
  return Buffer.from(new Uint8Array(shared, 4).slice())
}
