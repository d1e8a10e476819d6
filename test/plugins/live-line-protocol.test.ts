// The InfluxDB line protocol parser behind /api/live/push.
import t from 'tap'
import { LineProtocolError, parseLineProtocol } from '../../plugins/live/line-protocol.js'

const one = (line: string) => {
  const [p] = parseLineProtocol(line, 7n)
  return { m: p!.measurement, tags: p!.tags, fields: Object.fromEntries(p!.fields), time: p!.time }
}
const fail = (body: string): string => {
  try {
    parseLineProtocol(body)
  } catch (err) {
    if (err instanceof LineProtocolError) return err.message
    throw err
  }
  throw new Error('parsed')
}

t.test('measurement, sorted tags, every field type and a nanosecond timestamp', async t => {
  t.same(one('cpu,z=1,host=a f=1.5,i=-3i,u=4u,s="hi",b=t,B=FALSE 1700000000000000001'), {
    m: 'cpu',
    tags: [['host', 'a'], ['z', '1']],
    fields: {
      f: { type: 'float', value: 1.5 },
      i: { type: 'int', value: -3n },
      u: { type: 'uint', value: 4n },
      s: { type: 'string', value: 'hi' },
      b: { type: 'bool', value: true },
      B: { type: 'bool', value: false }
    },
    time: 1700000000000000001n
  })
})

t.test('no timestamp: the time of the push; trailing spaces and CRLF are fine', async t => {
  t.equal(one('m v=1').time, 7n)
  t.equal(one('m v=1 ').time, 7n)
  t.same(parseLineProtocol('m v=1 5\r\nm v=2 6\r\n', 0n).map(p => p.time), [5n, 6n])
})

t.test('escapes: comma and space in measurements; comma, equals and space in keys and tag values; quote and backslash in strings', async t => {
  t.same(one('my\\ cpu\\,x,ho\\=st=a\\ b\\,c f\\ 1="say \\"hi\\" \\\\ ok, fine" 1'), {
    m: 'my cpu,x',
    tags: [['ho=st', 'a b,c']],
    fields: { 'f 1': { type: 'string', value: 'say "hi" \\ ok, fine' } },
    time: 1n
  })
  t.same(one('m,t=a\\b v=1 1').tags, [['t', 'a\\b']], 'other backslashes stay')
})

t.test('numbers: exponents, leading dot and sign; 64-bit integer limits', async t => {
  t.same(one('m a=1e3,b=-.5,c=+2.,d=9223372036854775807i,e=18446744073709551615u 1').fields, {
    a: { type: 'float', value: 1000 },
    b: { type: 'float', value: -0.5 },
    c: { type: 'float', value: 2 },
    d: { type: 'int', value: 9223372036854775807n },
    e: { type: 'uint', value: 18446744073709551615n }
  })
})

t.test('comments and blank lines are skipped; line numbers count them', async t => {
  t.equal(parseLineProtocol('# c\n\n  \nm v=1 1\n').length, 1)
  t.equal(fail('# c\n\nm v=1 1\nm v=x 1'), 'invalid line protocol at line 4: invalid value "x" for field "v": m v=x 1')
})

t.test('bad lines say what is wrong', async t => {
  const cases: Array<[string, string]> = [
    ['m', 'missing fields'],
    ['m ', 'missing fields'],
    [',t=a v=1', 'missing measurement'],
    ['m,t v=1', 'missing tag value for "t"'],
    ['m,t= v=1', 'empty tag value for "t"'],
    ['m,=a v=1', 'empty tag key'],
    ['m v', 'missing value for field "v"'],
    ['m v=', 'missing value for field "v"'],
    ['m =1', 'empty field key'],
    ['m v=1,', 'empty field key'],
    ['m v="open', 'unterminated string for field "v"'],
    ['m v="a"b', 'unexpected character after fields'],
    ['m v=1 12x', 'invalid timestamp "12x"'],
    ['m v=1 1 2', 'invalid timestamp "1 2"'],
    ['m v=9223372036854775808i', 'integer out of range for field "v"'],
    ['m v=-1u', 'invalid value "-1u" for field "v"'],
    ['m v=NaN', 'invalid value "NaN" for field "v"'],
    ['m v=1e999', 'invalid value "1e999" for field "v"'],
    ['m v=yes', 'invalid value "yes" for field "v"']
  ]
  for (const [line, reason] of cases) t.equal(fail(line), `invalid line protocol at line 1: ${reason}: ${line}`, line)
})

t.test('a very long bad line is cut to 200 characters in the message', async t => {
  const line = 'm,t=' + 'a'.repeat(500)
  t.equal(fail(line), `invalid line protocol at line 1: missing fields: ${line.slice(0, 200)}…`)
})
