// Teams of an org, their members and external groups; and team sync from a proxy's Groups header.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import type { TeamRow } from './tables.js'
import {
  ERR_TEAM_GROUP_EXISTS, ERR_TEAM_GROUP_NOT_FOUND, ERR_TEAM_MEMBER_EXISTS, ERR_TEAM_MEMBER_NOT_FOUND,
  ERR_TEAM_NAME_TAKEN, ERR_TEAM_NOT_FOUND, ERR_USER_NOT_FOUND
} from '../errors/codes.js'
import { containsPattern, isUniqueViolation } from '../db/sql.js'

export interface TeamWithCount extends TeamRow { memberCount: number }

export interface TeamMember {
  orgId: number
  teamId: number
  userId: number
  email: string
  name: string
  login: string
  permission: number
  external: boolean
}

export class Teams {
  constructor (private readonly db: Kysely<Database>) {}

  async create (orgId: number, name: string, email: string): Promise<TeamRow> {
    try {
      return await this.db.insertInto('team').values({ org_id: orgId, name, email }).returningAll().executeTakeFirstOrThrow()
    } catch (err) {
      if (isUniqueViolation(err)) throw new ERR_TEAM_NAME_TAKEN()
      throw err
    }
  }

  async search (orgId: number, q: { query: string, name: string, page: number, perPage: number }): Promise<{ total: number, teams: TeamWithCount[] }> {
    let base = this.db.selectFrom('team').where('team.org_id', '=', orgId)
    if (q.name !== '') base = base.where(sql`lower(team.name)`, '=', q.name.toLowerCase())
    else if (q.query !== '') base = base.where(sql`lower(team.name)`, 'like', containsPattern(q.query))
    const [count, teams] = await Promise.all([
      base.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      base.selectAll('team').select(eb => eb.selectFrom('team_member').whereRef('team_member.team_id', '=', 'team.id')
        .select(e => e.fn.countAll<number>().as('c')).as('memberCount'))
        .orderBy('team.name').limit(q.perPage).offset((q.page - 1) * q.perPage).execute()
    ])
    return { total: Number(count.n), teams: teams.map(t => ({ ...t, memberCount: Number(t.memberCount ?? 0) })) }
  }

  async get (orgId: number, id: number): Promise<TeamWithCount> {
    const team = await this.db.selectFrom('team').selectAll('team')
      .select(eb => eb.selectFrom('team_member').whereRef('team_member.team_id', '=', 'team.id').select(e => e.fn.countAll<number>().as('c')).as('memberCount'))
      .where('team.org_id', '=', orgId).where('team.id', '=', id).executeTakeFirst()
    if (team === undefined) throw new ERR_TEAM_NOT_FOUND()
    return { ...team, memberCount: Number(team.memberCount ?? 0) }
  }

  async update (orgId: number, id: number, name: string, email: string): Promise<void> {
    await this.get(orgId, id)
    try {
      await this.db.updateTable('team').set({ name, email, updated: new Date() }).where('org_id', '=', orgId).where('id', '=', id).execute()
    } catch (err) {
      if (isUniqueViolation(err)) throw new ERR_TEAM_NAME_TAKEN()
      throw err
    }
  }

  async delete (orgId: number, id: number): Promise<void> {
    const res = await this.db.deleteFrom('team').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
    if (res.numDeletedRows === 0n) throw new ERR_TEAM_NOT_FOUND()
  }

  async members (orgId: number, id: number): Promise<TeamMember[]> {
    await this.get(orgId, id)
    return this.db.selectFrom('team_member').innerJoin('users', 'users.id', 'team_member.user_id')
      .select([
        'team_member.org_id as orgId', 'team_member.team_id as teamId', 'users.id as userId', 'users.email', 'users.name', 'users.login',
        'team_member.permission', 'team_member.external'
      ])
      .where('team_member.team_id', '=', id).orderBy('users.login').execute()
  }

  async addMember (orgId: number, id: number, userId: number): Promise<void> {
    await this.get(orgId, id)
    const member = await this.db.selectFrom('org_user').select('user_id').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst()
    if (member === undefined) throw new ERR_USER_NOT_FOUND()
    try {
      await this.db.insertInto('team_member').values({ org_id: orgId, team_id: id, user_id: userId }).execute()
    } catch (err) {
      if (isUniqueViolation(err)) throw new ERR_TEAM_MEMBER_EXISTS()
      throw err
    }
  }

  async removeMember (orgId: number, id: number, userId: number): Promise<void> {
    await this.get(orgId, id)
    const res = await this.db.deleteFrom('team_member').where('team_id', '=', id).where('user_id', '=', userId).executeTakeFirst()
    if (res.numDeletedRows === 0n) throw new ERR_TEAM_MEMBER_NOT_FOUND()
  }

  async groups (orgId: number, id: number): Promise<Array<{ orgId: number, teamId: number, groupId: string }>> {
    await this.get(orgId, id)
    return this.db.selectFrom('team_group').select(['org_id as orgId', 'team_id as teamId', 'group_id as groupId'])
      .where('team_id', '=', id).orderBy('group_id').execute()
  }

  async addGroup (orgId: number, id: number, groupId: string): Promise<void> {
    await this.get(orgId, id)
    try {
      await this.db.insertInto('team_group').values({ org_id: orgId, team_id: id, group_id: groupId }).execute()
    } catch (err) {
      if (isUniqueViolation(err)) throw new ERR_TEAM_GROUP_EXISTS()
      throw err
    }
  }

  async removeGroup (orgId: number, id: number, groupId: string): Promise<void> {
    await this.get(orgId, id)
    const res = await this.db.deleteFrom('team_group').where('team_id', '=', id).where('group_id', '=', groupId).executeTakeFirst()
    if (res.numDeletedRows === 0n) throw new ERR_TEAM_GROUP_NOT_FOUND()
  }

  /**
   * Team sync: the user joins every team (in orgs they belong to) mapped to one of `groups`, and
   * leaves teams they were synced into whose groups are no longer sent. Manual memberships stay.
   */
  async syncGroups (userId: number, groups: string[]): Promise<{ added: number[], removed: number[] }> {
    return this.db.transaction().execute(async trx => {
      const wanted = groups.length === 0
        ? []
        : await trx.selectFrom('team_group')
          .innerJoin('org_user', join => join.onRef('org_user.org_id', '=', 'team_group.org_id').on('org_user.user_id', '=', userId))
          .select(['team_group.team_id as teamId', 'team_group.org_id as orgId']).distinct()
          .where('team_group.group_id', 'in', groups).execute()
      const current = await trx.selectFrom('team_member').select(['team_id as teamId', 'external']).where('user_id', '=', userId).execute()
      const have = new Map(current.map(m => [m.teamId, m.external]))
      const want = new Set(wanted.map(w => w.teamId))
      const added = wanted.filter(w => !have.has(w.teamId))
      const removed = current.filter(m => m.external && !want.has(m.teamId)).map(m => m.teamId)
      if (added.length > 0) {
        await trx.insertInto('team_member').values(added.map(w => ({ org_id: w.orgId, team_id: w.teamId, user_id: userId, external: true })))
          .onConflict(oc => oc.columns(['team_id', 'user_id']).doNothing()).execute()
      }
      if (removed.length > 0) {
        await trx.deleteFrom('team_member').where('user_id', '=', userId).where('external', '=', true).where('team_id', 'in', removed).execute()
      }
      return { added: added.map(w => w.teamId), removed }
    })
  }
}
