import t from 'tap'
import { build } from '../helpers/build.js'

// Two app starts: more than the default file timeout on a busy machine.
t.setTimeout(600_000)

/** The check runs beside the start: wait for its line (or its absence) a little. */
async function settle (logs: string[], pattern: RegExp): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (logs.some(l => pattern.test(l))) return true
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return false
}

t.test('start-up warns while the admin still has the default password "admin"', async t => {
  const line = /^t=\S+ level=warn logger=accounts msg="The admin user still has the default password \\"admin\\": sign in and change it, or run gatehouse admin reset-admin-password" user=admin\n?$/
  const shipped = await build(t)
  t.ok(await settle(shipped.logs, line), shipped.logs.join(''))
  const changed = await build(t, { security: { admin_password: 'chosen-by-the-operator' } })
  t.notOk(await settle(changed.logs, /default password/))
})
