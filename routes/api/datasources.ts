// /api/datasources: Grafana's data-source API. Org Admins manage; every role may look up an id by name.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponses } from '../../schemas/common.js'
import {
  AddDataSourceBodySchema, DataSourceDeletedSchema, DataSourceIdSchema, DataSourceListItemSchema, DataSourceSavedSchema, DataSourceSchema,
  IdTextParamsSchema, NameParamsSchema, UidParamsSchema, UpdateDataSourceBodySchema, type UpdateDataSourceBody
} from '../../schemas/datasources.js'
import { dataSourceDto, dataSourceListItem } from '../../plugins/datasources/present.js'
import type { DataSourceRow } from '../../plugins/datasources/tables.js'
import type { DataSourceRef } from '../../plugins/datasources/store.js'
import { ERR_BAD_REQUEST } from '../../plugins/errors/codes.js'
import { parseDataSourceId } from '../../plugins/datasources/validate.js'

const datasources: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { orgRole: 'Admin' as const }
  const dto = (row: DataSourceRow) => dataSourceDto(row, app.pluginRegistry.get(row.type))
  const saved = { 200: DataSourceSavedSchema, ...ErrorResponses }
  const one = { 200: DataSourceSchema, ...ErrorResponses }
  const deleted = { 200: DataSourceDeletedSchema, ...ErrorResponses }

  app.get('/api/datasources', { config: admin, schema: { response: { 200: Type.Array(DataSourceListItemSchema), ...ErrorResponses } } }, async (request) =>
    (await app.dataSources.list(request.identity!.orgId)).map(row => dataSourceListItem(row, app.pluginRegistry.get(row.type))))

  app.post('/api/datasources', { config: admin, schema: { body: AddDataSourceBodySchema, response: saved } }, async (request) => {
    const row = await app.dataSources.add(request.identity!.orgId, request.body)
    return { message: 'Datasource added', id: row.id, name: row.name, datasource: dto(row) }
  })

  const update = async (orgId: number, ref: DataSourceRef, body: UpdateDataSourceBody) => {
    const row = await app.dataSources.update(orgId, ref, body)
    return { message: 'Datasource updated', id: row.id, name: row.name, datasource: dto(row) }
  }
  app.put('/api/datasources/:id', {
    config: admin,
    schema: { params: IdTextParamsSchema, body: UpdateDataSourceBodySchema, response: saved }
  }, async (request) =>
    update(request.identity!.orgId, { id: parseDataSourceId(request.params.id) }, request.body))
  app.put('/api/datasources/uid/:uid', {
    config: admin,
    schema: { params: UidParamsSchema, body: UpdateDataSourceBodySchema, response: saved }
  }, async (request) =>
    update(request.identity!.orgId, { uid: request.params.uid }, request.body))

  app.get('/api/datasources/:id', { config: admin, schema: { params: IdTextParamsSchema, response: one } }, async (request) =>
    dto(await app.dataSources.get(request.identity!.orgId, { id: parseDataSourceId(request.params.id) })))
  app.get('/api/datasources/uid/:uid', { config: admin, schema: { params: UidParamsSchema, response: one } }, async (request) =>
    dto(await app.dataSources.get(request.identity!.orgId, { uid: request.params.uid })))
  app.get('/api/datasources/name/:name', { config: admin, schema: { params: NameParamsSchema, response: one } }, async (request) =>
    dto(await app.dataSources.get(request.identity!.orgId, { name: request.params.name })))

  // Grafana grants this lookup to Viewers (fixed:datasources.id:reader).
  app.get('/api/datasources/id/:name', {
    config: { orgRole: 'Viewer' },
    schema: { params: NameParamsSchema, response: { 200: DataSourceIdSchema, ...ErrorResponses } }
  }, async (request) =>
    ({ id: (await app.dataSources.get(request.identity!.orgId, { name: request.params.name })).id }))

  app.delete('/api/datasources/:id', { config: admin, schema: { params: IdTextParamsSchema, response: deleted } }, async (request) => {
    const id = parseDataSourceId(request.params.id)
    if (id <= 0) throw new ERR_BAD_REQUEST('Missing valid datasource id')
    await app.dataSources.remove(request.identity!.orgId, { id })
    return { message: 'Data source deleted' }
  })
  app.delete('/api/datasources/uid/:uid', { config: admin, schema: { params: UidParamsSchema, response: deleted } }, async (request) =>
    ({ message: 'Data source deleted', id: (await app.dataSources.remove(request.identity!.orgId, { uid: request.params.uid })).id }))
  app.delete('/api/datasources/name/:name', { config: admin, schema: { params: NameParamsSchema, response: deleted } }, async (request) => {
    if (request.params.name === '') throw new ERR_BAD_REQUEST('Missing valid datasource name')
    return { message: 'Data source deleted', id: (await app.dataSources.remove(request.identity!.orgId, { name: request.params.name })).id }
  })
}

export default datasources
