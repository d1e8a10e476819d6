// docs/configuration.md's key table is generated from conf/defaults.ini: a key added or reworded
// without `npm run docs:config` leaves the docs stale, and this test says so.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'

t.test('the configuration table in docs/configuration.md is the one conf/defaults.ini gives', async t => {
  const run = promisify(execFile)
  const result = await run(process.execPath, ['scripts/config-table.mjs', '--check']).then(() => 0, (err: { code: number, stderr: string }) => {
    t.comment(err.stderr)
    return err.code
  })
  t.equal(result, 0, 'npm run docs:config leaves docs/configuration.md unchanged')
})
