// `gatehouse admin …`: what `grafana cli admin` does for the server admin.
import type { Command } from 'commander'
import { configOf, readStdin, UsageError, withServices } from './context.js'

export function adminCommands (program: Command): void {
  const admin = program.command('admin').description('administer the server admin user')
  admin.command('reset-admin-password')
    .description('set the password of the admin user ([security] admin_user) and sign out all of its sessions')
    .argument('[new-password]', 'the new password')
    .option('--password-from-stdin', 'read the new password from standard input (keeps it out of the process list and shell history)')
    .action(async (given: string | undefined, opts: { passwordFromStdin?: boolean }, cmd: Command) => {
      if ((given === undefined) === (opts.passwordFromStdin !== true)) throw new UsageError('give the new password or --password-from-stdin (one of them)')
      const password = given ?? await readStdin()
      const config = configOf(cmd)
      await withServices(config, async ({ accounts, sessions }) => {
        const login = config.security.adminUser
        const user = await accounts.findByLoginOrEmail(login)
        if (user === undefined || user.is_service_account) throw new Error(`no admin user "${login}" ([security] admin_user)`)
        await accounts.setPassword(user.id, password)
        await sessions.revokeAllForUser(user.id)
        process.stdout.write(`Admin password changed successfully for "${login}"; its sessions are signed out\n`)
      })
    })
}
