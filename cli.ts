#!/usr/bin/env node
// The `gatehouse` command: operator tasks on the configured database, with the server's
// configuration (--config, GF_PATHS_CONFIG, GF_ variables). Exit codes: 0 done, 1 failed,
// 2 usage or configuration error.
import { Command, CommanderError } from 'commander'
import { ConfigError } from './config/errors.js'
import { UsageError } from './cli/context.js'
import { adminCommands } from './cli/admin.js'
import { serviceAccountCommands } from './cli/serviceaccounts.js'
import { configCommands } from './cli/config.js'
import { databaseCommands } from './cli/db.js'

const program = new Command('gatehouse')
  .description('Gatehouse command-line tasks')
  .option('--config <file>', 'custom ini file (default: conf/custom.ini, or GF_PATHS_CONFIG)')
  .showHelpAfterError()
  // Inherited by every subcommand made with .command() below: usage mistakes exit 2.
  .exitOverride((err: CommanderError) => { process.exit(err.exitCode === 0 ? 0 : 2) })

adminCommands(program)
serviceAccountCommands(program)
configCommands(program)
databaseCommands(program)

try {
  await program.parseAsync()
} catch (err) {
  if (err instanceof ConfigError) {
    for (const line of err.errors) process.stderr.write(`gatehouse: ${line}\n`)
    process.exit(2)
  }
  if (err instanceof UsageError) {
    process.stderr.write(`gatehouse: ${err.message}\n`)
    process.exit(2)
  }
  process.stderr.write(`gatehouse: ${(err as Error).message}\n`)
  process.exit(1)
}
