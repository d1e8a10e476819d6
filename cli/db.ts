// `gatehouse migrate` and `gatehouse secrets rotate`: database maintenance.
import type { Command } from 'commander'
import { configOf } from './context.js'

export function databaseCommands (program: Command): void {
  program.command('migrate')
    .description('apply pending database migrations (the server also does this at start)')
    .action(async (_opts: unknown, cmd: Command) => {
      const config = configOf(cmd)
      const { migrateToLatest, openDatabase } = await import('../plugins/db/connect.js')
      const handle = await openDatabase(config.database)
      try {
        const applied = await migrateToLatest(handle.db)
        process.stdout.write(applied.length === 0 ? 'database is up to date\n' : `applied: ${applied.join(', ')}\n`)
      } finally {
        await handle.close()
      }
    })
  const secrets = program.command('secrets').description('data-source secret encryption')
  secrets.command('rotate')
    .description('re-encrypt data keys under [security] secret_key (after moving the old key to previous_secret_keys; safe while servers run)')
    .action(async (_opts: unknown, cmd: Command) => {
      const { secretsCommand } = await import('../plugins/secure-json/rotate-command.js')
      await secretsCommand(configOf(cmd), 'rotate', process.stdout)
    })
}
