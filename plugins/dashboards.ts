// Dashboards and search per org: decorates `dashboards` (save/get/delete/search, `events`, `canRead`).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Dashboards } from './dashboards/service.js'

declare module 'fastify' {
  interface FastifyInstance {
    dashboards: Dashboards
  }
}

async function dashboardsPlugin (app: FastifyInstance): Promise<void> {
  const log = app.log.child({ logger: 'dashboards' })
  app.decorate('dashboards', new Dashboards(app.db, err => { log.error({ err }, 'dashboard change listener failed') }))
}

export default fp(dashboardsPlugin, { name: 'dashboards', dependencies: ['db', 'auth'] })
