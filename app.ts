// The app factory: one line per concern, in order. The order is the architecture.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify'
import type { PGlite } from '@electric-sql/pglite'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { LoadedConfig } from './config/load.js'
import { createLogger, type LogSink } from './plugins/logging/logger.js'
import { buildSerializer, validatorCompiler } from './plugins/validation.js'
import config from './plugins/config.js'
import openapi from './plugins/openapi.js'
import originPolicy from './plugins/origin-policy.js'
import logging from './plugins/logging.js'
import errors, { clientErrorHandler, frameworkErrors } from './plugins/errors.js'
import httpServer from './plugins/http-server.js'
import metrics from './plugins/metrics.js'
import clusterBus from './plugins/cluster.js'
import activity from './plugins/activity.js'
import cors from './plugins/cors.js'
import db from './plugins/db.js'
import accounts from './plugins/accounts.js'
import sessions from './plugins/sessions.js'
import csrf from './plugins/csrf.js'
import auth from './plugins/auth.js'
import apiKeys from './plugins/api-keys.js'
import serviceAccounts from './plugins/service-accounts.js'
import teams from './plugins/teams.js'
import authProxy from './plugins/auth-proxy.js'
import secureJson, { secureJsonKeys } from './plugins/secure-json.js'
import pluginRegistry from './plugins/plugin-registry.js'
import dataSources from './plugins/datasources.js'
import dataSourceProxy from './plugins/datasource-proxy.js'
import dashboards from './plugins/dashboards.js'
import live, { type LivePluginOptions } from './plugins/live.js'
import ui from './plugins/ui.js'
import routes from './routes/index.js'

export interface BuildOptions {
  /** Where log lines go (default: stdout). Tests capture them. */
  logSink?: LogSink
  /** A ready PGlite instance instead of opening [paths] data (tests). */
  pglite?: PGlite
  /** Live's ping/pong/connect timings (tests shorten them). */
  live?: LivePluginOptions
  /** Sees every route as it is added (the fuzz test finds its targets here). */
  onRoute?: (route: RouteOptions) => void
}

/** At most 1 s, and a quarter of the shortest timeout so short (test) values fire on time too. */
function checkingInterval (...timeoutsMs: number[]): number {
  const shortest = Math.min(...timeoutsMs.filter(ms => ms > 0))
  return Math.max(50, Math.min(1000, Math.floor(shortest / 4)))
}

export async function buildApp (cfg: LoadedConfig, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const s = cfg.server
  const app = Fastify({
    loggerInstance: createLogger(cfg, opts.logSink) as FastifyBaseLogger,
    // Request lines are written by the logging plugin, in Grafana's shape.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: s.maxBodyBytes,
    requestTimeout: s.readTimeoutMs,
    keepAliveTimeout: s.keepAliveTimeoutMs,
    connectionTimeout: s.readTimeoutMs,
    return503OnClosing: true,
    frameworkErrors,
    clientErrorHandler,
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // Node checks headersTimeout/requestTimeout only every connectionsCheckingInterval (30 s by
    // default), so a 10 s timeout fired after up to 40 s: check often enough to fire within 1 s.
    http: { headersTimeout: s.headersTimeoutMs, connectionsCheckingInterval: checkingInterval(s.headersTimeoutMs, s.readTimeoutMs) },
    // Opening an embedded database on a busy or slow host can outlast Fastify's 10 s default;
    // PostgreSQL's own connect timeout bounds the other case, so a slow start is not a failed one.
    pluginTimeout: 120_000,
    // Response serializers compile on a route's first answer (plugins/validation.ts).
    schemaController: { compilersFactory: { buildSerializer } }
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  if (opts.onRoute !== undefined) app.addHook('onRoute', opts.onRoute)

  await app.register(config, { config: cfg })
  // Before any route: it collects them all for the OpenAPI document.
  await app.register(openapi)
  await app.register(activity)
  await app.register(originPolicy)
  await app.register(logging)
  await app.register(errors)
  await app.register(httpServer)
  await app.register(metrics)
  await app.register(clusterBus)
  await app.register(cors)
  // Before the database: the key derivation runs on its own thread while the database opens.
  await app.register(secureJsonKeys)
  await app.register(db, { pglite: opts.pglite })
  await app.register(accounts)
  await app.register(sessions)
  await app.register(csrf)
  await app.register(auth)
  await app.register(apiKeys)
  await app.register(serviceAccounts)
  await app.register(teams)
  await app.register(authProxy)
  await app.register(secureJson)
  await app.register(pluginRegistry)
  await app.register(dataSources)
  await app.register(dataSourceProxy)
  await app.register(dashboards)
  await app.register(live, opts.live ?? {})
  await app.register(ui)
  await app.register(routes, { prefix: s.serveFromSubPath ? s.appSubUrl : '' })
  await app.ready()
  return app
}
