// The `secrets rotate` command of cli.ts, on the configured database.
import type { LoadedConfig } from '../../config/load.js'
import { openDatabase } from '../db/connect.js'
import { rotateDataKeys } from './rotate.js'

export async function secretsCommand (config: LoadedConfig, sub: string | undefined, out: NodeJS.WritableStream): Promise<void> {
  if (sub !== 'rotate') throw new Error('usage: gatehouse-cli secrets rotate')
  const handle = await openDatabase(config.database)
  try {
    const { total, rotated } = await rotateDataKeys(handle.db, config.secretKeys)
    out.write(`secrets rotate: ${rotated} of ${total} data key(s) re-encrypted under [security] secret_key` +
      (rotated > 0 || total === 0 ? '' : ' (all were current already)') + '\n' +
      (config.secretKeys.previous.length > 0 ? 'previous_secret_keys may now be emptied\n' : ''))
  } finally {
    await handle.close()
  }
}
