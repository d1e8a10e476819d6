// Command-line tasks on the configured database: `node dist/cli.js migrate`.
import { loadConfig } from './config/load.js'
import { ConfigError } from './config/errors.js'
import { migrateToLatest, openDatabase } from './plugins/db/connect.js'
import { secretsCommand } from './plugins/secure-json/rotate-command.js'

const USAGE = 'usage: gatehouse-cli [--config <file>] migrate | secrets rotate'

async function migrate (): Promise<void> {
  const config = loadConfig()
  const handle = await openDatabase(config.database)
  try {
    const applied = await migrateToLatest(handle.db)
    process.stdout.write(applied.length === 0 ? 'database is up to date\n' : `applied: ${applied.join(', ')}\n`)
  } finally {
    await handle.close()
  }
}

async function main (): Promise<void> {
  const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('-') && all[i - 1] !== '--config')
  const command = positional[0]
  try {
    switch (command) {
      case 'migrate': await migrate(); break
      case 'secrets': await secretsCommand(loadConfig(), positional[1], process.stdout); break
      default:
        process.stderr.write(`${USAGE}\n`)
        process.exit(2)
    }
  } catch (err) {
    process.stderr.write(`gatehouse: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`)
    process.exit(err instanceof ConfigError ? 2 : 1)
  }
}

void main()
