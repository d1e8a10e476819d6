// GET /avatar/:hash: the md5 of an email, as in Grafana's avatarUrl.
import { Type } from 'typebox'

export const AvatarParamsSchema = Type.Object({ hash: Type.String({ pattern: '^[0-9a-f]{32}$' }) })
