import t from 'tap'
import { build, dbKind } from '../helpers/build.js'

t.test('GET /api/health answers without credentials and reports the database', async t => {
  const { app } = await build(t)
  const res = await app.inject('/api/health')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(Object.keys(body).sort(), ['commit', 'database', 'version'])
  t.equal(body.database, 'ok')
  t.match(body.version, /^\d+\.\d+\.\d+/)
  t.comment(`database: ${dbKind}`)
})

t.test('GET /api/health answers 503 "failing" when the database is gone', async t => {
  const { app } = await build(t)
  await app.db.destroy()
  const res = await app.inject('/api/health')
  t.equal(res.statusCode, 503)
  t.equal(res.json().database, 'failing')
})
