// GET /api/gatehouse/activity: the activity page's series, one number (or null: nothing to say)
// per minute of the last 15, oldest first.
import { Type } from 'typebox'

const Counts = Type.Array(Type.Number())
const Gauge = Type.Array(Type.Union([Type.Number(), Type.Null()]))

export const ActivitySchema = Type.Object({
  minutes: Type.Array(Type.Integer(), { description: 'Start of each minute, Unix seconds; the last is the current, partial minute.' }),
  datasources: Type.Array(Type.Object({
    uid: Type.String(),
    name: Type.String(),
    requests: Type.Object(
      { '1xx': Counts, '2xx': Counts, '3xx': Counts, '4xx': Counts, '5xx': Counts },
      { description: 'Proxied requests by the status class the client got (499: the client went away).' }
    ),
    p50Ms: Gauge,
    p99Ms: Gauge,
    tokenFailures: Counts
  }), { description: 'This org\'s data sources that were proxied to in the window.' }),
  tokenFailures: Counts,
  live: Type.Object({
    connections: Type.Array(Type.Union([Type.Number(), Type.Null()]), { description: 'Most open connections seen in the minute (instance-wide).' }),
    publications: Counts
  }),
  originRefusals: Type.Object({ cors: Counts, csrf: Counts, live: Counts }, { description: 'Requests refused for their Origin, per surface (instance-wide).' })
})
