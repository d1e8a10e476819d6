// Centrifuge protocol v2, JSON flavour, as centrifuge-js v5 speaks it: newline-separated JSON
// objects per websocket text frame, commands `{"<method>":{…},"id":N}`, replies by id, pushes
// without id, `{}` as ping and as pong, fatal conditions as websocket close codes.

/** Close codes (centrifuge disconnect.go). 35xx: the client does not reconnect. */
export const DISCONNECT = {
  shutdown: { code: 3001, reason: 'shutdown' },
  internal: { code: 3004, reason: 'internal server error' },
  slow: { code: 3008, reason: 'slow' },
  noPong: { code: 3012, reason: 'no pong' },
  badRequest: { code: 3501, reason: 'bad request' },
  stale: { code: 3502, reason: 'stale' },
  connectionLimit: { code: 3504, reason: 'connection limit' }
} as const

export type Disconnect = typeof DISCONNECT[keyof typeof DISCONNECT]

export interface ReplyError {
  code: number
  message: string
  temporary?: boolean
}

/** Client error codes (centrifuge errors.go), plus the HTTP codes Grafana uses as error codes. */
export const ERROR = {
  internal: { code: 100, message: 'internal server error', temporary: true },
  permissionDenied: { code: 103, message: 'permission denied' },
  methodNotFound: { code: 104, message: 'method not found' },
  alreadySubscribed: { code: 105, message: 'already subscribed' },
  notAvailable: { code: 108, message: 'not available' },
  invalidChannel: { code: 400, message: 'invalid channel ID' },
  forbidden: { code: 403, message: 'Forbidden' },
  notFound: { code: 404, message: 'Not Found' }
} as const satisfies Record<string, ReplyError>

export type Method =
  'connect' | 'subscribe' | 'unsubscribe' | 'publish' | 'presence' | 'presence_stats' | 'history' | 'send' | 'rpc' | 'refresh' | 'sub_refresh'

const METHODS: ReadonlySet<string> = new Set<Method>([
  'connect', 'subscribe', 'unsubscribe', 'publish', 'presence', 'presence_stats', 'history', 'send', 'rpc', 'refresh', 'sub_refresh'
])

export type Command =
  | { kind: 'pong' }
  | { kind: 'call', id: number, method: Method, params: Record<string, unknown> }
  | { kind: 'send', data: unknown }
  /** A command with an id and a method this server does not know: answered 104. */
  | { kind: 'unknown', id: number }

/** The commands of one inbound frame; undefined when any of them is malformed. */
export function decodeFrame (text: string): Command[] | undefined {
  const out: Command[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    let raw: unknown
    try {
      raw = JSON.parse(line)
    } catch {
      return undefined
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined
    const cmd = decodeCommand(raw as Record<string, unknown>)
    if (cmd === undefined) return undefined
    out.push(cmd)
  }
  return out
}

function decodeCommand (raw: Record<string, unknown>): Command | undefined {
  const keys = Object.keys(raw).filter(k => k !== 'id')
  const id = raw.id
  if (keys.length === 0) return id === undefined || id === 0 ? { kind: 'pong' } : undefined
  if (keys.length !== 1) return undefined
  const method = keys[0]!
  const validId = typeof id === 'number' && Number.isSafeInteger(id) && id > 0
  if (!METHODS.has(method)) return validId ? { kind: 'unknown', id: id as number } : undefined
  const params = raw[method]
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return undefined
  if (method === 'send') return { kind: 'send', data: (params as { data?: unknown }).data }
  if (!validId) return undefined
  return { kind: 'call', id: id as number, method: method as Method, params: params as Record<string, unknown> }
}

export function encodeReply (id: number, method: Method, result: object): string {
  return `{"id":${id},${JSON.stringify(method)}:${JSON.stringify(result)}}`
}

export function encodeError (id: number, error: ReplyError): string {
  return `{"id":${id},"error":${JSON.stringify(error)}}`
}

/**
 * What the hub fans out on a channel: a publication, or a client joining or leaving (those go only
 * to subscribers that asked for join/leave). The kind travels beside the body, through the
 * brokers too: nothing reads it back out of the text.
 */
export interface Push {
  kind: PushKind
  /** The JSON object under the kind's key: `{"data":…}` or `{"info":…}`, already serialized. */
  body: string
}

export type PushKind = 'pub' | 'join' | 'leave'

const PUSH_KINDS: ReadonlySet<string> = new Set<PushKind>(['pub', 'join', 'leave'])

/** A push from a broker's wire; undefined when the kind is not one of ours (dropped, never guessed). */
export function pushFrom (kind: unknown, body: unknown): Push | undefined {
  return typeof kind === 'string' && PUSH_KINDS.has(kind) && typeof body === 'string' ? { kind: kind as PushKind, body } : undefined
}

/** The push as the client reads it: `{"push":{"channel":…,"<kind>":<body>}}`. */
export function encodePush (channel: string, push: Push): string {
  return `{"push":{"channel":${JSON.stringify(channel)},"${push.kind}":${push.body}}}`
}

/** Publication data as JSON text: the one encoding for websocket and HTTP publishes. None: an HTTP publish without data. */
export function encodeData (data: unknown): string | undefined {
  return data === undefined ? undefined : JSON.stringify(data)
}

/** A publication of `dataJson`, serialized JSON written as is (never re-encoded). */
export function publication (dataJson: string): Push {
  return { kind: 'pub', body: `{"data":${dataJson}}` }
}

export function joinLeave (kind: 'join' | 'leave', info: ClientInfo): Push {
  return { kind, body: `{"info":${JSON.stringify(info)}}` }
}

export interface ClientInfo {
  user: string
  client: string
}

export const PING = '{}'
