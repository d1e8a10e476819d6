// Rows → Grafana's JSON shapes (avatar URLs, "last seen" ages).
import { createHash } from 'node:crypto'
import type { UserRow } from '../db/tables.js'
import type { MemberRow } from './orgs-store.js'

export function avatarUrl (appSubUrl: string, email: string): string {
  return `${appSubUrl}/avatar/${createHash('md5').update(email.trim().toLowerCase()).digest('hex')}`
}

// Grafana shows never-seen users as last seen "10 years" ago.
const NEVER = () => new Date(Date.now() - 10 * 365 * 86_400_000)

export function ageString (at: Date | null, now = Date.now()): string {
  const ms = now - (at ?? NEVER()).getTime()
  const minutes = Math.floor(ms / 60_000)
  const hours = Math.floor(minutes / 60)
  const days = Math.floor(hours / 24)
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`
  if (days >= 365) return plural(Math.floor(days / 365), 'year')
  if (days >= 30) return plural(Math.floor(days / 30), 'month')
  if (days >= 7) return plural(Math.floor(days / 7), 'week')
  if (days >= 1) return plural(days, 'day')
  if (hours >= 1) return `${hours}h`
  if (minutes >= 1) return `${minutes}m`
  return '< 1 m'
}

export function userProfile (u: UserRow, appSubUrl: string, orgId = u.org_id) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    login: u.login,
    theme: u.theme,
    orgId,
    isGrafanaAdmin: u.is_admin,
    isDisabled: u.is_disabled,
    isExternal: false,
    authLabels: [] as string[],
    updatedAt: u.updated.toISOString(),
    createdAt: u.created.toISOString(),
    avatarUrl: avatarUrl(appSubUrl, u.email)
  }
}

export function userSearchHit (u: UserRow, appSubUrl: string) {
  return {
    id: u.id,
    name: u.name,
    login: u.login,
    email: u.email,
    avatarUrl: avatarUrl(appSubUrl, u.email),
    isAdmin: u.is_admin,
    isDisabled: u.is_disabled,
    lastSeenAt: (u.last_seen_at ?? NEVER()).toISOString(),
    lastSeenAtAge: ageString(u.last_seen_at),
    authLabels: [] as string[]
  }
}

export function orgUser (m: MemberRow, appSubUrl: string) {
  return {
    orgId: m.orgId,
    userId: m.userId,
    email: m.email,
    name: m.name,
    avatarUrl: avatarUrl(appSubUrl, m.email),
    login: m.login,
    role: m.role,
    lastSeenAt: (m.lastSeenAt ?? NEVER()).toISOString(),
    lastSeenAtAge: ageString(m.lastSeenAt)
  }
}
