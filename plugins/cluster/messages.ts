// The messages workers and the primary exchange over node:cluster's IPC channel. Tagged, so
// anything else on the channel (node's own cluster messages) is left alone.
export const TAG = 'gatehouse.cluster'

/** A worker → primary: deliver to every other worker; with an id, tell me when all applied it. */
export interface Publish { tag: typeof TAG, kind: 'publish', topic: string, payload: unknown, id?: number }
/** Primary → worker: apply this; with an id, answer with an ack. */
export interface Deliver { tag: typeof TAG, kind: 'deliver', topic: string, payload: unknown, id?: number, origin?: number }
/** Worker → primary: applied delivery `id` of worker `origin`. */
export interface Ack { tag: typeof TAG, kind: 'ack', id: number, origin: number }
/** Primary → worker: every other worker applied publication `id`. */
export interface Done { tag: typeof TAG, kind: 'done', id: number }

export type Message = Publish | Deliver | Ack | Done

export function isMessage (m: unknown): m is Message {
  return typeof m === 'object' && m !== null && (m as { tag?: unknown }).tag === TAG
}
