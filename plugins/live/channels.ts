// Grafana Live channel names: `scope/namespace/path` (grafana-plugin-sdk-go live.ParseChannel),
// and on the wire the same prefixed with the org id (`<orgId>/scope/namespace/path`).

export interface ChannelAddress {
  scope: string
  namespace: string
  path: string
}

export const MAX_CHANNEL_LENGTH = 160

// The SDK's own patterns, `A-z` included: that range also admits [ \ ] ^ _ and the backtick,
// and Grafana clients may rely on it.
const SCOPE_OR_NAMESPACE = /^[A-z0-9_-]*$/
const PATH = /^[A-z0-9_\-/=.,]*$/

/** A logical channel (no org prefix), or undefined when it is not a valid channel ID. */
export function parseChannel (id: string): ChannelAddress | undefined {
  if (id.length > MAX_CHANNEL_LENGTH) return undefined
  const first = id.indexOf('/')
  if (first < 0) return undefined
  const second = id.indexOf('/', first + 1)
  if (second < 0) return undefined
  const scope = id.slice(0, first)
  const namespace = id.slice(first + 1, second)
  const path = id.slice(second + 1)
  if (scope === '' || namespace === '' || path === '') return undefined
  if (!SCOPE_OR_NAMESPACE.test(scope) || !SCOPE_OR_NAMESPACE.test(namespace) || !PATH.test(path)) return undefined
  return { scope, namespace, path }
}

/** Splits `<orgId>/<channel>` (orgchannel.StripOrgID); undefined when malformed. */
export function stripOrgId (wire: string): { orgId: number, channel: string } | undefined {
  const slash = wire.indexOf('/')
  if (slash <= 0) return undefined
  const org = wire.slice(0, slash)
  if (!/^-?\d{1,18}$/.test(org)) return undefined
  return { orgId: Number(org), channel: wire.slice(slash + 1) }
}

export function prependOrgId (orgId: number, channel: string): string {
  return `${orgId}/${channel}`
}
