// Turns proxy claims into a Gatehouse user: finds or signs up the user, then syncs the
// attributes the proxy sends. A missing Role header never changes a role.
import type { Accounts } from '../accounts/service.js'
import type { UserRow } from '../db/tables.js'
import type { Config } from '../../config/settings.js'
import type { AuthProxyConfig } from '../../config/auth-proxy.js'
import type { ProxyClaims } from './headers.js'
import { ERR_PROXY_SIGNUP_DISABLED, ERR_PROXY_USER_CONFLICT } from '../errors/codes.js'
import { isUniqueViolation } from '../db/sql.js'

const EMAIL = /^[^\s@]+@[^\s@]+$/

export interface SyncDeps {
  accounts: Accounts
  proxy: AuthProxyConfig
  users: Config['users']
}

/** The org whose role the Role header sets: Grafana uses the auto-assign org, else org 1. */
function roleOrg (users: Config['users']): number {
  return users.autoAssignOrg ? users.autoAssignOrgId : 1
}

export async function syncUser (d: SyncDeps, claims: ProxyClaims): Promise<UserRow> {
  const existing = await d.accounts.findByLoginOrEmail(claims.user)
  const user = existing ?? await signUp(d, claims)
  if (user.is_service_account) throw new ERR_PROXY_USER_CONFLICT(claims.user)
  if (existing !== undefined) await updateAttributes(d, user, claims)
  if (claims.role !== undefined) {
    await d.accounts.syncOrgRole(roleOrg(d.users), user.id, claims.role)
  }
  return user
}

async function signUp (d: SyncDeps, claims: ProxyClaims): Promise<UserRow> {
  if (!d.proxy.autoSignUp) throw new ERR_PROXY_SIGNUP_DISABLED(claims.user)
  const login = claims.login ?? claims.user
  const email = claims.email ?? (d.proxy.headerProperty === 'email' || EMAIL.test(claims.user) ? claims.user : login)
  try {
    return await d.accounts.createUser({
      login,
      email,
      name: claims.name ?? '',
      password: null,
      ...(claims.role !== undefined && d.users.autoAssignOrg ? { role: claims.role } : {})
    })
  } catch (err) {
    // Two first requests of a new user raced: the other one created it.
    const again = await d.accounts.findByLoginOrEmail(claims.user)
    if (again !== undefined) return again
    if (isUniqueViolation(err) || (err as { statusCode?: number }).statusCode === 412) throw new ERR_PROXY_USER_CONFLICT(claims.user)
    throw err
  }
}

async function updateAttributes (d: SyncDeps, user: UserRow, claims: ProxyClaims): Promise<void> {
  const changes: Partial<Pick<UserRow, 'name' | 'email' | 'login'>> = {}
  if (claims.name !== undefined && claims.name !== user.name) changes.name = claims.name
  if (claims.email !== undefined && claims.email !== user.email) changes.email = claims.email
  if (claims.login !== undefined && claims.login !== user.login) changes.login = claims.login
  if (Object.keys(changes).length === 0) return
  try {
    await d.accounts.updateProfile(user.id, changes)
  } catch (err) {
    if (isUniqueViolation(err)) throw new ERR_PROXY_USER_CONFLICT(claims.user)
    throw err
  }
  Object.assign(user, changes)
}
