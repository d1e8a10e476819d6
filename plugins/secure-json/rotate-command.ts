// The `secrets rotate` command of cli.ts, on the configured database. On PostgreSQL it rotates
// directly, beside running servers. An embedded database held by a running server cannot be opened
// (its lock); there the running server is asked to rotate (POST /api/admin/secrets/rotate) with
// [security] admin_user/admin_password, or the command says how to ask it.
import type { LoadedConfig } from '../../config/load.js'
import { migrateToLatest, openDatabase } from '../db/connect.js'
import { DatabaseInUseError } from '../db/lock.js'
import { rotateDataKeys, type RotationResult } from './rotate.js'

export async function secretsCommand (config: LoadedConfig, sub: string | undefined, out: NodeJS.WritableStream): Promise<void> {
  if (sub !== 'rotate') throw new Error('usage: gatehouse-cli secrets rotate')
  let result: RotationResult
  try {
    const handle = await openDatabase(config.database)
    try {
      // A database no server has started on yet has no tables: migrate as every other command does.
      await migrateToLatest(handle.db)
      result = await rotateDataKeys(handle.db, config.security.secretKeys)
    } finally {
      await handle.close()
    }
  } catch (err) {
    if (!(err instanceof DatabaseInUseError)) throw err
    result = await rotateOnServer(config, err)
    out.write('secrets rotate: done by the running server\n')
  }
  const { total, rotated } = result
  out.write(`secrets rotate: ${rotated} of ${total} data key(s) re-encrypted under [security] secret_key` +
    (rotated > 0 || total === 0 ? '' : ' (all were current already)') + '\n' +
    (config.security.secretKeys.previous.length > 0 ? 'previous_secret_keys may now be emptied\n' : ''))
}

/** The running server's rotation endpoint, on its local address. */
function serverUrl (config: LoadedConfig): string {
  const addr = config.server.httpAddr === '' || config.server.httpAddr === '0.0.0.0' || config.server.httpAddr === '::' ? '127.0.0.1' : config.server.httpAddr
  const host = addr.includes(':') ? `[${addr}]` : addr
  return `http://${host}:${config.server.httpPort}${config.server.serveFromSubPath ? config.server.appSubUrl : ''}/api/admin/secrets/rotate`
}

async function rotateOnServer (config: LoadedConfig, inUse: DatabaseInUseError): Promise<RotationResult> {
  const url = serverUrl(config)
  const how = `${inUse.message}; rotate through the running server: curl -X POST -u <server admin>:<password> ${url}`
  const { adminUser, adminPassword } = config.security
  if (adminPassword === '') throw new Error(how)
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${adminUser}:${adminPassword}`).toString('base64') },
      signal: AbortSignal.timeout(60_000)
    })
  } catch {
    throw new Error(how)
  }
  const body = await res.json().catch(() => ({})) as { message?: string, total?: number, rotated?: number }
  if (res.status === 200 && typeof body.total === 'number' && typeof body.rotated === 'number') return { total: body.total, rotated: body.rotated }
  // 401/403: admin_password is only the initial password; a wrong key answers 409 with its reason.
  throw new Error(res.status === 409 ? `the running server refused: ${body.message ?? ''}` : `${how} (it answered ${res.status} to [security] admin_user)`)
}
