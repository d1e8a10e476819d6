// `gatehouse serviceaccounts create-token`: bootstraps scripts and CI without the web UI.
import { Option, type Command } from 'commander'
import { configOf, UsageError, withServices } from './context.js'
import { ORG_ROLES, type OrgRole } from '../config/settings.js'
import { parseDuration } from '../config/duration.js'

interface CreateTokenOptions { name: string, role?: OrgRole, org: string, ttl?: string, tokenName?: string }

export function serviceAccountCommands (program: Command): void {
  const sa = program.command('serviceaccounts').description('manage service accounts and their tokens')
  sa.command('create-token')
    .description('create a token for a service account (created first if missing) and print it once on stdout')
    .requiredOption('--name <name>', 'service account name')
    .addOption(new Option('--role <role>', 'role of a new account (an existing one keeps its role unless given)').choices(ORG_ROLES))
    .option('--org <id>', 'organization id', '1')
    .option('--ttl <duration>', 'token lifetime, e.g. 3600s, 12h, 30d (default: no expiry, or [auth] api_key_max_seconds_to_live)')
    .option('--token-name <name>', 'token name (default: cli-<timestamp>)')
    .action(async (opts: CreateTokenOptions, cmd: Command) => {
      if (!/^[1-9]\d*$/.test(opts.org)) throw new UsageError(`--org must be an organization id, got "${opts.org}"`)
      const ttlMs = opts.ttl === undefined ? undefined : parseDuration(opts.ttl, 's')
      if (ttlMs === undefined && opts.ttl !== undefined) throw new UsageError(`--ttl must be a duration such as 3600s, 12h or 30d, got "${opts.ttl}"`)
      const name = opts.name.trim()
      if (name === '') throw new UsageError('--name must not be empty')
      const orgId = Number(opts.org)
      await withServices(configOf(cmd), async ({ accounts, serviceAccounts, apiKeys }) => {
        await accounts.getOrg(orgId)
        const found = (await serviceAccounts.search(orgId, name, 1, 1000)).accounts.find(a => a.name.toLowerCase() === name.toLowerCase())
        let account = found ?? await serviceAccounts.create(orgId, name, opts.role ?? 'Viewer', false)
        if (found !== undefined && opts.role !== undefined && found.role !== opts.role) {
          account = await serviceAccounts.update(orgId, found.id, { role: opts.role })
        }
        const token = await apiKeys.create({
          orgId,
          name: opts.tokenName ?? `cli-${new Date().toISOString()}`,
          role: account.role,
          secondsToLive: ttlMs === undefined ? undefined : Math.ceil(ttlMs / 1000),
          serviceAccountId: account.id
        })
        process.stderr.write(`${found === undefined ? 'created' : 'using'} service account "${account.name}" ` +
          `(id ${account.id}, org ${orgId}, ${account.role}); token "${token.name}":\n`)
        process.stdout.write(`${token.key}\n`)
      })
    })
}
