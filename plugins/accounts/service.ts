// Users and orgs as Grafana's API sees them: the rules (uniqueness, last admin, auto-assign) live here.
import { sql, type Kysely } from 'kysely'
import type { Database, OrgRow, UserRow } from '../db/tables.js'
import type { Config, OrgRole } from '../../config/settings.js'
import * as users from './users-store.js'
import * as orgs from './orgs-store.js'
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js'
import {
  ERR_ALREADY_MEMBER, ERR_LAST_ORG_ADMIN, ERR_LAST_ORG_ADMIN_ROLE, ERR_NOT_MEMBER, ERR_NOT_VALID_ORG, ERR_OLD_PASSWORD,
  ERR_ORG_NAME_TAKEN, ERR_ORG_NOT_FOUND, ERR_PASSWORD_MISSING, ERR_PASSWORD_TOO_SHORT, ERR_USER_EXISTS, ERR_USER_NOT_FOUND
} from '../errors/codes.js'
import { isUniqueViolation } from '../db/sql.js'

export const MIN_PASSWORD_LENGTH = 4

export interface CreateUserInput {
  login?: string
  email?: string
  name?: string
  password: string | null
  isAdmin?: boolean
  /** Join this org (with the auto-assign role) instead of the auto-assign org. */
  orgId?: number
  role?: OrgRole
}

/** What changed about an account: a user (password, role, membership, default org) or an org (its name). */
export type AccountChange = { userId: number } | { orgId: number }

export class Accounts {
  constructor (
    private readonly db: Kysely<Database>,
    private readonly config: Config,
    /** Told after each change that cached identities depend on; resolves once every cache dropped them. */
    private readonly changed: (change: AccountChange) => Promise<void> = async () => {}
  ) {}

  // ---- users -------------------------------------------------------------------------------

  async createUser (input: CreateUserInput): Promise<UserRow> {
    const login = (input.login ?? '').trim() || (input.email ?? '').trim()
    const email = (input.email ?? '').trim() || login
    if (login === '') throw new ERR_USER_EXISTS('', '')
    if (input.password !== null && input.password.length < MIN_PASSWORD_LENGTH) throw new ERR_PASSWORD_MISSING()
    const encoded = input.password === null ? null : await hashPassword(input.password)
    try {
      return await this.db.transaction().execute(async trx => {
        if (await users.loginOrEmailTaken(trx, login, email)) throw new ERR_USER_EXISTS(email, login)
        const { orgId, role } = await this.placement(trx, login, input)
        const user = await users.insertUser(trx, { login, email, name: input.name ?? '', password: encoded, isAdmin: input.isAdmin ?? false, orgId })
        await orgs.addMember(trx, orgId, user.id, role)
        return user
      })
    } catch (err) {
      if (isUniqueViolation(err)) throw new ERR_USER_EXISTS(email, login)
      throw err
    }
  }

  // Grafana: the auto-assign org, or (auto_assign_org = false) a new org of the user's own.
  private async placement (trx: Kysely<Database>, login: string, input: CreateUserInput): Promise<{ orgId: number, role: OrgRole }> {
    const u = this.config.users
    if (input.orgId !== undefined) {
      if (await orgs.findOrgById(trx, input.orgId) === undefined) throw new ERR_ORG_NOT_FOUND()
      return { orgId: input.orgId, role: input.role ?? u.autoAssignOrgRole }
    }
    if (u.autoAssignOrg) {
      if (await orgs.findOrgById(trx, u.autoAssignOrgId) !== undefined) return { orgId: u.autoAssignOrgId, role: input.role ?? u.autoAssignOrgRole }
    }
    let name = login
    for (let i = 1; await orgs.findOrgByName(trx, name) !== undefined; i++) name = `${login}-${i}`
    const org = await orgs.insertOrg(trx, name)
    return { orgId: org.id, role: 'Admin' }
  }

  getUser (id: number): Promise<UserRow | undefined> {
    return users.findUserById(this.db, id)
  }

  async getUserOrThrow (id: number): Promise<UserRow> {
    const user = await users.findUserById(this.db, id)
    if (user === undefined || user.is_service_account) throw new ERR_USER_NOT_FOUND()
    return user
  }

  findByLoginOrEmail (loginOrEmail: string): Promise<UserRow | undefined> {
    return users.findUserByLoginOrEmail(this.db, loginOrEmail)
  }

  /** The user whose login or email and password match, else undefined. Constant work either way. */
  async checkPassword (loginOrEmail: string, password: string): Promise<UserRow | undefined> {
    const user = await users.findUserByLoginOrEmail(this.db, loginOrEmail)
    if (user === undefined || user.is_service_account || user.password === null) {
      await burnPasswordCheck(password)
      return undefined
    }
    return await verifyPassword(password, user.password) ? user : undefined
  }

  async changePassword (userId: number, oldPassword: string, newPassword: string): Promise<void> {
    const user = await this.getUserOrThrow(userId)
    if (!await verifyPassword(oldPassword, user.password)) throw new ERR_OLD_PASSWORD()
    if (newPassword.length < MIN_PASSWORD_LENGTH) throw new ERR_PASSWORD_TOO_SHORT()
    await users.updateUserPassword(this.db, userId, await hashPassword(newPassword))
    await this.changed({ userId })
  }

  /** Grafana's admin disable/enable; a disabled user's sessions end with it. */
  async setDisabled (userId: number, disabled: boolean): Promise<void> {
    await this.getUserOrThrow(userId)
    await this.db.transaction().execute(async trx => {
      await trx.updateTable('users').set({ is_disabled: disabled, updated: new Date() }).where('id', '=', userId).execute()
      if (disabled) await trx.deleteFrom('user_auth_token').where('user_id', '=', userId).execute()
    })
    await this.changed({ userId })
  }

  /** An administrator sets a password without knowing the old one (`gatehouse admin reset-admin-password`). */
  async setPassword (userId: number, newPassword: string): Promise<void> {
    if (newPassword.length < MIN_PASSWORD_LENGTH) throw new ERR_PASSWORD_TOO_SHORT()
    await users.updateUserPassword(this.db, userId, await hashPassword(newPassword))
  }

  searchUsers (query: string, page: number, perPage: number): ReturnType<typeof users.searchUsers> {
    return users.searchUsers(this.db, { query, page, perPage })
  }

  // ---- orgs --------------------------------------------------------------------------------

  async getOrg (id: number): Promise<OrgRow> {
    const org = await orgs.findOrgById(this.db, id)
    if (org === undefined) throw new ERR_ORG_NOT_FOUND()
    return org
  }

  async createOrg (name: string, creatorId: number): Promise<OrgRow> {
    try {
      return await this.db.transaction().execute(async trx => {
        if (await orgs.findOrgByName(trx, name) !== undefined) throw new ERR_ORG_NAME_TAKEN()
        const org = await orgs.insertOrg(trx, name)
        await orgs.addMember(trx, org.id, creatorId, 'Admin')
        return org
      })
    } catch (err) {
      if (isUniqueViolation(err)) throw new ERR_ORG_NAME_TAKEN()
      throw err
    }
  }

  async renameOrg (id: number, name: string): Promise<void> {
    await this.getOrg(id)
    const other = await orgs.findOrgByName(this.db, name)
    if (other !== undefined && other.id !== id) throw new ERR_ORG_NAME_TAKEN()
    try {
      await orgs.renameOrg(this.db, id, name)
    } catch (err) {
      if (isUniqueViolation(err)) throw new ERR_ORG_NAME_TAKEN()
      throw err
    }
    await this.changed({ orgId: id })
  }

  searchOrgs (query: string, page: number, perPage: number): Promise<OrgRow[]> {
    return orgs.searchOrgs(this.db, query, page, perPage)
  }

  async orgMembers (orgId: number, query = '', limit = 1000): Promise<orgs.MemberRow[]> {
    await this.getOrg(orgId)
    return orgs.membersOfOrg(this.db, orgId, query, limit)
  }

  userOrgs (userId: number): ReturnType<typeof orgs.orgsOfUser> {
    return orgs.orgsOfUser(this.db, userId)
  }

  membership (orgId: number, userId: number): Promise<OrgRole | undefined> {
    return orgs.membership(this.db, orgId, userId)
  }

  async addOrgUser (orgId: number, loginOrEmail: string, role: OrgRole): Promise<number> {
    await this.getOrg(orgId)
    const user = await users.findUserByLoginOrEmail(this.db, loginOrEmail)
    if (user === undefined || user.is_service_account) throw new ERR_USER_NOT_FOUND()
    if (await orgs.membership(this.db, orgId, user.id) !== undefined) throw new ERR_ALREADY_MEMBER()
    try {
      await orgs.addMember(this.db, orgId, user.id, role)
    } catch (err) {
      if (isUniqueViolation(err)) throw new ERR_ALREADY_MEMBER()
      throw err
    }
    await this.changed({ userId: user.id })
    return user.id
  }

  async updateOrgUser (orgId: number, userId: number, role: OrgRole): Promise<void> {
    await this.db.transaction().execute(async trx => {
      await lockOrg(trx, orgId)
      const current = await orgs.membership(trx, orgId, userId)
      if (current === undefined) throw new ERR_NOT_MEMBER()
      if (current === 'Admin' && role !== 'Admin' && await orgs.countAdmins(trx, orgId) <= 1) throw new ERR_LAST_ORG_ADMIN_ROLE()
      await orgs.setMemberRole(trx, orgId, userId, role)
    })
    await this.changed({ userId })
  }

  /**
   * Grafana's RemoveOrgUser with ShouldDeleteOrphanedUser: a user left in no org is deleted (their
   * sessions, tokens and team memberships go with them), so no one keeps reading an org they left.
   * Otherwise the user's current org moves to one they still belong to.
   */
  async removeOrgUser (orgId: number, userId: number): Promise<{ userDeleted: boolean }> {
    const result = await this.db.transaction().execute(async trx => {
      await lockOrg(trx, orgId)
      const current = await orgs.membership(trx, orgId, userId)
      if (current === undefined) throw new ERR_NOT_MEMBER()
      if (current === 'Admin' && await orgs.countAdmins(trx, orgId) <= 1) throw new ERR_LAST_ORG_ADMIN()
      await orgs.removeMember(trx, orgId, userId)
      const next = await trx.selectFrom('org_user').select('org_id').where('user_id', '=', userId).orderBy('org_id').executeTakeFirst()
      if (next === undefined) {
        await users.deleteUser(trx, userId)
        return { userDeleted: true }
      }
      const user = await users.findUserById(trx, userId)
      if (user !== undefined && user.org_id === orgId) await users.setUserOrg(trx, userId, next.org_id)
      return { userDeleted: false }
    })
    await this.changed({ userId })
    return result
  }

  /**
   * The auth proxy's Role header: joins `orgId` with `role`, or changes the role. Like Grafana's
   * sync, no last-admin rule applies: the front end is the source of truth.
   */
  async syncOrgRole (orgId: number, userId: number, role: OrgRole): Promise<void> {
    const current = await orgs.membership(this.db, orgId, userId)
    if (current === role) return
    if (current !== undefined) {
      await orgs.setMemberRole(this.db, orgId, userId, role)
    } else {
      try {
        await orgs.addMember(this.db, orgId, userId, role)
      } catch (err) {
        // Two first requests of the user raced: the other one added the membership.
        if (!isUniqueViolation(err)) throw err
      }
    }
    // Cached identities (basic auth, every worker) hold the old role.
    await this.changed({ userId })
  }

  /** Name, email or login from a front end; a unique violation (login or email taken) is thrown as is. */
  updateProfile (userId: number, changes: users.UserChanges): Promise<void> {
    return users.updateUser(this.db, userId, changes)
  }

  async switchOrg (userId: number, orgId: number): Promise<void> {
    if (await orgs.membership(this.db, orgId, userId) === undefined) throw new ERR_NOT_VALID_ORG()
    await users.setUserOrg(this.db, userId, orgId)
    await this.changed({ userId })
  }

  // ---- start-up ----------------------------------------------------------------------------

  /** Org 1 "Main Org." and the admin user, once. Serialised so concurrent first starts agree. */
  async bootstrap (): Promise<{ createdOrg: boolean, createdAdmin: boolean }> {
    return this.db.transaction().execute(async trx => {
      await sql`select pg_advisory_xact_lock(738201)`.execute(trx)
      let createdOrg = false
      let createdAdmin = false
      const anyOrg = await trx.selectFrom('org').select('id').limit(1).executeTakeFirst()
      if (anyOrg === undefined) {
        await orgs.insertOrg(trx, 'Main Org.')
        createdOrg = true
      }
      const s = this.config.security
      if (!s.disableInitialAdminCreation && await users.findUserByLoginOrEmail(trx, s.adminUser) === undefined) {
        const anyUser = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()
        if (anyUser === undefined) {
          const orgId = (await trx.selectFrom('org').select('id').orderBy('id').executeTakeFirstOrThrow()).id
          const user = await users.insertUser(trx, {
            login: s.adminUser, email: s.adminEmail || s.adminUser, name: '', password: await hashPassword(s.adminPassword), isAdmin: true, orgId
          })
          await orgs.addMember(trx, orgId, user.id, 'Admin')
          createdAdmin = true
        }
      }
      return { createdOrg, createdAdmin }
    })
  }
}

// Serialises membership changes of one org so two requests cannot both remove "the other" admin.
async function lockOrg (trx: Kysely<Database>, orgId: number): Promise<void> {
  await sql`select id from org where id = ${orgId} for update`.execute(trx)
}
