// Service accounts: users that cannot sign in, belong to one org with one role, and act through
// glsa_ tokens. Rows in `users` (is_service_account) so memberships and identities work unchanged.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import type { OrgRole } from '../../config/settings.js'
// Accounts owns the users and org_user rows; its stores take the transaction.
import { deleteServiceAccountUser, insertUser, updateUser } from '../accounts/users-store.js'
import { addMember, setMemberRole } from '../accounts/orgs-store.js'
import { ERR_SA_NAME_TAKEN, ERR_SA_NOT_FOUND } from '../errors/codes.js'
import { containsPattern, isUniqueViolation } from '../db/sql.js'

export interface ServiceAccount {
  id: number
  name: string
  login: string
  orgId: number
  isDisabled: boolean
  role: OrgRole
  tokens: number
  created: Date
  updated: Date
}

export function saLogin (orgId: number, name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'account'
  return `sa-${orgId}-${slug}`.slice(0, 190)
}

export class ServiceAccounts {
  constructor (private readonly db: Kysely<Database>) {}

  private query (orgId: number) {
    return this.db.selectFrom('users as u')
      .innerJoin('org_user as ou', join => join.onRef('ou.user_id', '=', 'u.id').on('ou.org_id', '=', orgId))
      .select(['u.id', 'u.name', 'u.login', 'u.is_disabled', 'u.created', 'u.updated', 'ou.role', 'ou.org_id'])
      .select(eb => eb.selectFrom('api_key').whereRef('api_key.service_account_id', '=', 'u.id').select(e => e.fn.countAll<number>().as('n')).as('tokens'))
      .where('u.is_service_account', '=', true)
  }

  private static present (r: {
    id: number, name: string, login: string, is_disabled: boolean, created: Date, updated: Date, role: OrgRole, org_id: number, tokens: number | null
  }): ServiceAccount {
    return {
      id: r.id,
      name: r.name,
      login: r.login,
      orgId: r.org_id,
      isDisabled: r.is_disabled,
      role: r.role,
      tokens: Number(r.tokens ?? 0),
      created: r.created,
      updated: r.updated
    }
  }

  async create (orgId: number, name: string, role: OrgRole, isDisabled: boolean): Promise<ServiceAccount> {
    const login = saLogin(orgId, name)
    try {
      const id = await this.db.transaction().execute(async trx => {
        const taken = await trx.selectFrom('users as u').innerJoin('org_user as ou', 'ou.user_id', 'u.id').select('u.id')
          .where('u.is_service_account', '=', true).where('ou.org_id', '=', orgId).where(sql`lower(u.name)`, '=', name.toLowerCase()).executeTakeFirst()
        if (taken !== undefined) throw new ERR_SA_NAME_TAKEN()
        const user = await insertUser(trx, { login, email: login, name, password: null, isAdmin: false, isDisabled, isServiceAccount: true, orgId })
        await addMember(trx, orgId, user.id, role)
        return user.id
      })
      return await this.get(orgId, id)
    } catch (err) {
      if (isUniqueViolation(err)) throw new ERR_SA_NAME_TAKEN()
      throw err
    }
  }

  async get (orgId: number, id: number): Promise<ServiceAccount> {
    const row = await this.query(orgId).where('u.id', '=', id).executeTakeFirst()
    if (row === undefined) throw new ERR_SA_NOT_FOUND()
    return ServiceAccounts.present(row)
  }

  async search (orgId: number, query: string, page: number, perPage: number): Promise<{ total: number, accounts: ServiceAccount[] }> {
    let q = this.query(orgId)
    if (query !== '') {
      const like = containsPattern(query)
      q = q.where(eb => eb.or([eb(sql`lower(u.name)`, 'like', like), eb(sql`lower(u.login)`, 'like', like)]))
    }
    const rows = await q.orderBy('u.name').execute()
    return { total: rows.length, accounts: rows.slice((page - 1) * perPage, page * perPage).map(r => ServiceAccounts.present(r)) }
  }

  async update (orgId: number, id: number, patch: { name?: string, role?: OrgRole, isDisabled?: boolean }): Promise<ServiceAccount> {
    await this.get(orgId, id)
    try {
      await this.db.transaction().execute(async trx => {
        if (patch.name !== undefined || patch.isDisabled !== undefined) {
          await updateUser(trx, id, {
            ...(patch.name !== undefined ? { name: patch.name, login: saLogin(orgId, patch.name), email: saLogin(orgId, patch.name) } : {}),
            ...(patch.isDisabled !== undefined ? { is_disabled: patch.isDisabled } : {})
          })
        }
        if (patch.role !== undefined) {
          await setMemberRole(trx, orgId, id, patch.role)
        }
      })
    } catch (err) {
      if (isUniqueViolation(err)) throw new ERR_SA_NAME_TAKEN()
      throw err
    }
    return this.get(orgId, id)
  }

  async delete (orgId: number, id: number): Promise<void> {
    await this.get(orgId, id)
    await deleteServiceAccountUser(this.db, id)
  }
}
