// Every route file, registered under root_url's path when serve_from_sub_path is on.
import type { FastifyInstance } from 'fastify'
import health from './api/health.js'
import login from './login.js'
import user from './api/user.js'
import users from './api/users.js'
import admin from './api/admin.js'
import adminSecrets from './api/admin-secrets.js'
import org from './api/org.js'
import orgs from './api/orgs.js'
import teams from './api/teams.js'
import authKeys from './api/auth-keys.js'
import serviceAccounts from './api/service-accounts.js'
import dashboards from './api/dashboards.js'
import search from './api/search.js'
import datasources from './api/datasources.js'
import plugins from './api/plugins.js'
import dataSourceProxy from './api/datasource-proxy.js'
import live from './api/live.js'
import originCheck from './api/origin-check.js'
import originRefusals from './api/origin-refusals.js'
import activity from './api/activity.js'
import openapi from './openapi.js'
import avatar from './avatar.js'
import ui from './ui.js'

export default async function routes (app: FastifyInstance): Promise<void> {
  await app.register(health)
  await app.register(login)
  await app.register(user)
  await app.register(users)
  await app.register(admin)
  await app.register(adminSecrets)
  await app.register(org)
  await app.register(orgs)
  await app.register(teams)
  await app.register(authKeys)
  await app.register(serviceAccounts)
  await app.register(dashboards)
  await app.register(search)
  await app.register(datasources)
  await app.register(plugins)
  await app.register(dataSourceProxy)
  await app.register(live)
  await app.register(originCheck)
  await app.register(originRefusals)
  await app.register(activity)
  await app.register(openapi)
  await app.register(avatar)
  await app.register(ui)
}
