// Teams (open in Gatehouse; Enterprise-only team sync in Grafana): decorates `teams`.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Teams } from './teams/service.js'

declare module 'fastify' {
  interface FastifyInstance {
    teams: Teams
  }
}

async function teamsPlugin (app: FastifyInstance): Promise<void> {
  app.decorate('teams', new Teams(app.db))
}

export default fp(teamsPlugin, { name: 'teams', dependencies: ['db'] })
