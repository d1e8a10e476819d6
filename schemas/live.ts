// Grafana Live's HTTP API: publish, Telegraf push, the managed channel list.
import { Type } from 'typebox'

export const PublishBodySchema = Type.Object({
  channel: Type.String({ minLength: 1 }),
  /** Any JSON; absent: the channel is checked and nothing is published (as Grafana). */
  data: Type.Optional(Type.Unknown())
})

export const EmptySchema = Type.Object({}, { additionalProperties: false })

export const PushParamsSchema = Type.Object({ streamId: Type.String({ minLength: 1 }) })

export const PushQuerySchema = Type.Object({
  gf_live_frame_format: Type.String({ default: 'labels_column' })
})

export const ChannelListSchema = Type.Object({
  channels: Type.Array(Type.Object({
    channel: Type.String(),
    minute_rate: Type.Integer(),
    /** The last frame pushed: schema and data. */
    data: Type.Unknown()
  }))
})
