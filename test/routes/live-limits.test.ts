// Live's message size limit as an operator sees it in the log: oversized frames close with 1009,
// and cannot fill the error log (issue 12, item 6).
import t from 'tap'
import { ADMIN, build } from '../helpers/build.js'
import { listen, RawSocket } from '../helpers/live.js'
import { socketErrorLogger } from '../../plugins/live/socket-errors.js'
import type { FastifyBaseLogger } from 'fastify'

t.test('frames over message_size_limit close with 1009 and log an info line without a stack, rate-limited', async t => {
  const { app, logs } = await build(t, { live: { message_size_limit: 1024 } })
  const url = await listen(app)
  for (let i = 0; i < 15; i++) {
    const s = new RawSocket(url, { authorization: ADMIN })
    s.ws.on('error', () => {})
    await s.open()
    s.send({ connect: {}, id: 1 }, { publish: { channel: '1/grafana/broadcast/x', data: 'y'.repeat(1100) }, id: 2 })
    t.equal((await s.closed).code, 1009, `socket ${i}`)
  }
  const live = logs.filter(l => l.includes('logger=live'))
  t.same(logs.filter(l => /level=error/.test(l)), [], 'no error lines')
  t.notOk(live.some(l => /stack|at .*\.js:\d+/.test(l)), 'no stacks')
  const lines = live.filter(l => l.includes('msg="Live client error, connection closed"'))
  t.equal(lines.length, 10, 'at most 10 a minute')
  t.match(lines[0], /level=info .*code=WS_ERR_UNSUPPORTED_MESSAGE_LENGTH reason="Max payload size exceeded" remote=127\.0\.0\.1/)
})

t.test('the rate limit reports what it held back once the minute is over; server faults stay errors', async t => {
  const lines: Array<[string, object, string]> = []
  const log = {
    info: (o: object, m: string) => lines.push(['info', o, m]), error: (o: object, m: string) => lines.push(['error', o, m])
  } as unknown as FastifyBaseLogger
  let clock = 0
  const logError = socketErrorLogger(log, () => clock)
  const mistake = Object.assign(new RangeError('Invalid UTF-8 sequence'), { code: 'WS_ERR_INVALID_UTF8' })
  for (let i = 0; i < 13; i++) logError(mistake, '127.0.0.1')
  t.equal(lines.length, 10)
  clock = 60_000
  logError(mistake, '127.0.0.1')
  t.same(lines[10], ['info', { suppressed: 3 }, 'Live client errors not logged in the last minute'])
  t.equal(lines.length, 12)
  logError(new Error('handler bug'), '127.0.0.1')
  t.equal(lines[12]![0], 'error')
})
