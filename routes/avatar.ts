// GET /avatar/:hash: the avatarUrl every user, team and service account carries. Grafana proxies
// Gravatar; Gatehouse draws a default avatar from the hash instead, so no address leaks to a third
// party and the URL answers on machines without Internet access.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AvatarParamsSchema } from '../schemas/avatar.js'

/** A 5×5 mirrored identicon in one colour, like GitHub's default avatars: same hash, same picture. */
export function identicon (hash: string): string {
  const hue = parseInt(hash.slice(0, 3), 16) % 360
  const cells: string[] = []
  for (let row = 0; row < 5; row++) {
    for (let col = 0; col < 3; col++) {
      if (parseInt(hash[3 + row * 3 + col]!, 16) % 2 === 0) continue
      for (const x of new Set([col, 4 - col])) cells.push(`<rect x="${x * 8 + 4}" y="${row * 8 + 4}" width="8" height="8"/>`)
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48"><rect width="48" height="48" fill="#f0f0f0"/><g fill="hsl(${hue},55%,50%)">${cells.join('')}</g></svg>`
}

const avatar: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/avatar/:hash', {
    config: { auth: 'none' },
    schema: { params: AvatarParamsSchema }
  }, async (request, reply) => {
    return reply
      .header('content-type', 'image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(identicon(request.params.hash))
  })
}

export default avatar
