// Who a request acts as, and in which org with which role.
import { sql, type Kysely } from 'kysely'
import type { Database, UserRow } from '../db/tables.js'
import type { OrgRole } from '../../config/settings.js'

export type AuthMethod = 'basic' | 'session' | 'api-key' | 'service-account' | 'auth-proxy'

export interface Identity {
  /** user: a person; api-key: a legacy org key with no user; service-account: a service account's token. */
  kind: 'user' | 'api-key' | 'service-account'
  authenticatedBy: AuthMethod
  /** Users and service accounts; null for legacy API keys. */
  userId: number | null
  login: string
  email: string
  name: string
  orgId: number
  orgName: string
  /** null when the user belongs to no org at all. */
  orgRole: OrgRole | null
  isGrafanaAdmin: boolean
  /** Session row id when signed in by cookie. */
  sessionId?: number
  /** Legacy API key id when signed in by a key. */
  apiKeyId?: number
}

const RANK: Record<OrgRole, number> = { Viewer: 1, Editor: 2, Admin: 3 }

export function hasOrgRole (identity: Identity, required: OrgRole): boolean {
  return identity.orgRole !== null && RANK[identity.orgRole] >= RANK[required]
}

export interface LoadedUser {
  user: UserRow
  /** The org the request acts in, with the user's role there (undefined role: not a member). */
  orgId: number
  orgName: string | null
  role: OrgRole | undefined
}

/** The user and their membership in `orgId` (default: the user's current org), in one query. */
export async function loadUser (db: Kysely<Database>, userId: number, orgId?: number): Promise<LoadedUser | undefined> {
  const row = await db.selectFrom('users as u')
    .leftJoin('org_user as ou', join => join.onRef('ou.user_id', '=', 'u.id').on('ou.org_id', '=', orgId ?? sql<number>`u.org_id`))
    .leftJoin('org as o', join => join.on('o.id', '=', orgId ?? sql<number>`u.org_id`))
    .selectAll('u')
    .select(['ou.role as member_role', 'o.name as org_name', 'o.id as resolved_org_id'])
    .where('u.id', '=', userId)
    .executeTakeFirst()
  if (row === undefined) return undefined
  const { member_role: role, org_name: orgName, resolved_org_id: resolved, ...user } = row
  return { user, orgId: resolved ?? orgId ?? user.org_id, orgName, role: role ?? undefined }
}

export function userIdentity (l: LoadedUser, by: AuthMethod): Identity {
  return {
    kind: l.user.is_service_account ? 'service-account' : 'user',
    authenticatedBy: by,
    userId: l.user.id,
    login: l.user.login,
    email: l.user.email,
    name: l.user.name,
    orgId: l.orgId,
    orgName: l.orgName ?? '',
    orgRole: l.role ?? null,
    isGrafanaAdmin: l.user.is_admin
  }
}
