import t from 'tap'
import { build, ADMIN } from '../helpers/build.js'

t.test('every avatarUrl answers with a generated picture, no third party asked', async t => {
  const { app } = await build(t)
  const user = (await app.inject({ url: '/api/user', headers: { authorization: ADMIN } })).json()
  t.match(user.avatarUrl, /^\/avatar\/[0-9a-f]{32}$/)
  const res = await app.inject({ url: user.avatarUrl })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'image/svg+xml')
  t.equal(res.headers['cache-control'], 'public, max-age=86400')
  t.match(res.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="48" height="48"/)
  t.equal((await app.inject({ url: user.avatarUrl })).body, res.body, 'the same hash draws the same picture')
  t.not((await app.inject({ url: '/avatar/0123456789abcdef0123456789abcdef' })).body, res.body)
})

t.test('an avatar path that is not an md5 hash is a 400', async t => {
  const { app } = await build(t)
  const res = await app.inject({ url: '/avatar/not-a-hash' })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { message: /hash/ })
})
