// The embedded database's single owner: a lock file beside its directory, as SQLite's lock gives
// Grafana. Two processes on one PGlite directory each write their own in-memory view and the last
// to flush erases the other's acknowledged rows, so the second opener must refuse to start.
import { closeSync, linkSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'

export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError'
}

export interface DatabaseLock {
  release (): void
}

interface Holder { pid: number, host: string }

// A holder in another PID namespace (an overlapping container on a shared volume) cannot be probed
// by process.kill: it proves it is alive by touching the lock file this often instead.
const HEARTBEAT_MS = 5_000
const FRESH_MS = 3 * HEARTBEAT_MS

const held = new Set<string>()

function readHolder (path: string): Holder | undefined {
  try {
    const [pid, host] = readFileSync(path, 'utf8').split('\n')
    const n = Number(pid)
    return Number.isInteger(n) && n > 0 ? { pid: n, host: host ?? '' } : undefined
  } catch {
    return undefined
  }
}

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function fresh (path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < FRESH_MS
  } catch {
    return false
  }
}

/** Whether the lock at `path`, written by `holder`, belongs to a live process. */
function isLive (path: string, holder: Holder | undefined): boolean {
  if (holder === undefined) return fresh(path) // being written right now, or garbage left by a crash
  if (holder.host === hostname() && holder.pid !== process.pid) return alive(holder.pid)
  // Our own PID but not our lock (a restarted container is PID 1 again), or another host's process.
  return fresh(path)
}

/** Creates `path` holding `content` atomically: link(2) of a complete file fails if `path` exists. */
function createExclusive (path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`
  const fd = openSync(tmp, 'wx', 0o600)
  try {
    writeSync(fd, content)
  } finally {
    closeSync(fd)
  }
  try {
    linkSync(tmp, path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    unlinkSync(tmp)
  }
}

/**
 * Takes the lock of the embedded database in `dir` or throws DatabaseInUseError naming the holder.
 * A lock left by a dead process (kill -9, power loss) is taken over.
 */
export function lockDatabase (dir: string): DatabaseLock {
  const path = `${dir}.lock`
  if (held.has(path)) throw new DatabaseInUseError(`the embedded database in ${dir} is in use by process ${process.pid} (this process)`)
  const content = `${process.pid}\n${hostname()}\n`
  for (let attempt = 0; ; attempt++) {
    if (createExclusive(path, content)) break
    const holder = readHolder(path)
    if (isLive(path, holder) || attempt >= 3) {
      const who = holder === undefined ? 'another process' : `process ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''}`
      throw new DatabaseInUseError(`the embedded database in ${dir} is in use by ${who}`)
    }
    takeOverStale(path, holder)
  }
  held.add(path)
  const heartbeat = setInterval(() => {
    try { utimesSync(path, new Date(), new Date()) } catch {}
  }, HEARTBEAT_MS)
  heartbeat.unref()
  const onExit = (): void => release()
  process.on('exit', onExit)
  let released = false
  function release (): void {
    if (released) return
    released = true
    clearInterval(heartbeat)
    process.off('exit', onExit)
    held.delete(path)
    // Only our own lock: never one a later owner took over.
    const now = readHolder(path)
    if (now?.pid === process.pid && now.host === hostname()) {
      try { unlinkSync(path) } catch {}
    }
  }
  return { release }
}

/**
 * Removes a stale lock. Two starters may find the same stale lock: a short-lived guard file makes
 * only one of them remove it, so neither removes the lock the other has just written.
 */
function takeOverStale (path: string, stale: Holder | undefined): void {
  const guard = `${path}.takeover`
  if (!createExclusive(guard, `${process.pid}\n`)) {
    // A guard older than a heartbeat belongs to a starter that died mid-takeover.
    try { if (Date.now() - statSync(guard).mtimeMs > HEARTBEAT_MS) unlinkSync(guard) } catch {}
    return
  }
  try {
    const now = readHolder(path)
    if (now?.pid === stale?.pid && now?.host === stale?.host) unlinkSync(path)
  } catch {} finally {
    try { unlinkSync(guard) } catch {}
  }
}
