import t from 'tap'
import { ADMIN, build } from '/work/main/test/helpers/build.js'
t.test('smoke', async t => {
  const { app } = await build(t)
  const r = await app.inject({ method: 'POST', url: '/api/datasources', headers: { authorization: ADMIN }, payload: { name: 'a', type: 'prometheus', access: 'proxy', url: 'http://x', secureJsonData: { password: 'p' }, foo: 1 } })
  console.log(r.statusCode, r.body)
  const l = await app.inject({ method: 'GET', url: '/api/datasources', headers: { authorization: ADMIN } })
  console.log(l.statusCode, l.body)
  const d = await app.inject({ method: 'POST', url: '/api/datasources', headers: { authorization: ADMIN }, payload: { name: 'a', type: 'prometheus', access: 'proxy' } })
  console.log(d.statusCode, d.body)
  const e = await app.inject({ method: 'POST', url: '/api/datasources', headers: { authorization: ADMIN }, payload: { type: 'prometheus', access: 'proxy' } })
  console.log(e.statusCode, e.body)
  console.log((await app.inject({ method: 'GET', url: '/api/datasources/abc', headers: { authorization: ADMIN } })).body)
})
