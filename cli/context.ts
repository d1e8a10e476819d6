// What every CLI command shares: the configuration loaded exactly like the server's (--config,
// GF_PATHS_CONFIG, GF_ variables), and the database with the services the server builds on it.
// The database modules load only when a command needs them: `--help` and `config` stay quick.
import type { Command } from 'commander'
import { loadConfig, type LoadedConfig } from '../config/load.js'
import type { Accounts } from '../plugins/accounts/service.js'
import type { Sessions } from '../plugins/sessions/service.js'
import type { ApiKeys } from '../plugins/api-keys/service.js'
import type { ServiceAccounts } from '../plugins/service-accounts/service.js'

/** A mistake in how the command was called: exit code 2, like a configuration error. */
export class UsageError extends Error {}

export function configOf (cmd: Command): LoadedConfig {
  const { config } = cmd.optsWithGlobals<{ config?: string }>()
  return loadConfig({ argv: config === undefined ? [] : ['--config', config] })
}

export interface Services {
  config: LoadedConfig
  accounts: Accounts
  sessions: Sessions
  apiKeys: ApiKeys
  serviceAccounts: ServiceAccounts
}

/** Opens the configured database (migrated, org 1 and the admin as at a server start), runs `task`, closes. */
export async function withServices<T> (config: LoadedConfig, task: (s: Services) => Promise<T>): Promise<T> {
  const [{ migrateToLatest, openDatabase }, { Accounts }, { Sessions }, { ApiKeys }, { ServiceAccounts }] = await Promise.all([
    import('../plugins/db/connect.js'), import('../plugins/accounts/service.js'), import('../plugins/sessions/service.js'),
    import('../plugins/api-keys/service.js'), import('../plugins/service-accounts/service.js')
  ])
  const handle = await openDatabase(config.database)
  let apiKeys: ApiKeys | undefined
  try {
    await migrateToLatest(handle.db)
    const accounts = new Accounts(handle.db, config)
    await accounts.bootstrap()
    const { auth } = config
    const sessions = new Sessions(handle.db, config.security.secretKeys.current, {
      maxInactiveMs: auth.loginMaximumInactiveLifetimeMs, maxLifetimeMs: auth.loginMaximumLifetimeMs, rotationMs: auth.tokenRotationIntervalMs
    })
    apiKeys = new ApiKeys(handle.db, auth.apiKeyMaxSecondsToLive, () => {})
    return await task({ config, accounts, sessions, apiKeys, serviceAccounts: new ServiceAccounts(handle.db) })
  } finally {
    await apiKeys?.close()
    await handle.close()
  }
}

/** All of standard input, without the final line break (for --password-from-stdin). */
export async function readStdin (): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
}
