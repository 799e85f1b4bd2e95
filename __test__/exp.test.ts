// Filter expressions and expression operations through our client: filters on every command kind
// (single record, batch, scan), record metadata, arithmetic, cond/let, expression reads and writes,
// and bad input (the wire bytes are in exp-wire.test.ts).
// Expectations come from the data written in each test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectClient, expectCode, filterPasses, NS, recordFixture, serverFrom81, uniqueSet } from './helpers'

const { Key, exp, status, operations: op, lists, maps, policy } = aerospike

// inList, mapKeys and mapValues came with server 8.1 (an older one answers PARAMETER_ERROR).
const from81 = await serverFrom81()
const fx = recordFixture('exp')
const set = fx.set
const record = fx.record
const bins = fx.bins
/** Evaluates expressions on a record with expression reads: `{ name: value }`. */
async function evaluate(k: aerospike.Key, exps: Record<string, aerospike.AerospikeExp>, flags?: number): Promise<aerospike.Bins> {
  const ops = Object.entries(exps).map(([name, e]) => exp.operations.read(name, e, flags))
  return ((await fx.client.operate(k, ops)) as aerospike.AerospikeRecord).bins
}
const passes = (k: aerospike.Key, filterExpression: aerospike.AerospikeExp) => filterPasses(fx.client, k, filterExpression)
const hex = (e: aerospike.AerospikeExp) => Buffer.from(e.toBase64(), 'base64').toString('hex')

describe('filterExpression on single-record commands', () => {
  const isA = (v: number) => exp.eq(exp.binInt('a'), exp.int(v))

  it('get and select: pass when true, reject with FILTERED_OUT (27) when false or unknown', async () => {
    const k = await record({ a: 1, s: 'x' })
    expect(await bins(k)).toEqual({ a: 1, s: 'x' })
    expect(((await fx.client.get(k, { filterExpression: isA(1) })) as aerospike.AerospikeRecord).bins).toEqual({ a: 1, s: 'x' })
    await expectCode(fx.client.get(k, { filterExpression: isA(2) }), status.FILTERED_OUT)
    expect(((await fx.client.select(k, ['s'], { filterExpression: isA(1) })) as aerospike.AerospikeRecord).bins).toEqual({ s: 'x' })
    await expectCode(fx.client.select(k, ['s'], { filterExpression: isA(2) }), status.FILTERED_OUT)
    // A bin of another type is unknown, which filters the record out too.
    await expectCode(fx.client.get(k, { filterExpression: exp.eq(exp.binInt('s'), exp.int(1)) }), status.FILTERED_OUT)
    await expectCode(fx.client.get(k, { filterExpression: exp.not(exp.eq(exp.binInt('s'), exp.int(1))) }), status.FILTERED_OUT)
    // A missing record is still "not found".
    await expectCode(fx.client.get(new Key(NS, set, 'missing'), { filterExpression: isA(1) }), status.ERR_RECORD_NOT_FOUND)
  })

  it('put, operate, incr and remove apply only when the filter is true', async () => {
    const k = await record({ a: 1 })
    await expectCode(fx.client.put(k, { a: 5, b: 1 }, {}, { filterExpression: isA(2) }), status.FILTERED_OUT)
    await fx.client.put(k, { b: 1 }, {}, { filterExpression: isA(1) })
    expect(await bins(k)).toEqual({ a: 1, b: 1 })
    await expectCode(fx.client.operate(k, [op.incr('a', 10)], null, { filterExpression: isA(2) }), status.FILTERED_OUT)
    await expectCode(fx.client.incr(k, { a: 10 }, null, { filterExpression: isA(2) }), status.FILTERED_OUT)
    expect((await bins(k)).a).toBe(1)
    await fx.client.operate(k, [op.incr('a', 10)], null, { filterExpression: isA(1) })
    expect((await bins(k)).a).toBe(11)
    await expectCode(fx.client.remove(k, { filterExpression: isA(1) }), status.FILTERED_OUT)
    expect(await fx.client.exists(k)).toBe(true)
    await fx.client.remove(k, { filterExpression: isA(11) })
    expect(await fx.client.exists(k)).toBe(false)
  })

  it('exists rejects with 27 when filtered out, as the official client does', async () => {
    const k = await record({ a: 1 })
    expect(await fx.client.exists(k, { filterExpression: isA(1) })).toBe(true)
    await expectCode(fx.client.exists(k, { filterExpression: isA(2) }), status.FILTERED_OUT)
  })

  it('a default filter from the client config applies, and a command policy overrides it', async () => {
    const k = await record({ a: 1 })
    const c2 = await connectClient({ policies: { read: { filterExpression: isA(2) } } })
    try {
      await expectCode(c2.get(k), status.FILTERED_OUT)
      expect(((await c2.get(k, { filterExpression: isA(1) })) as aerospike.AerospikeRecord).bins).toEqual({ a: 1 })
      expect(((await c2.get(k, { filterExpression: null })) as aerospike.AerospikeRecord).bins).toEqual({ a: 1 })
    } finally {
      await c2.close()
    }
  })
})

describe('filterExpression on batches', () => {
  it('batch policy: matching rows 0, filtered rows 27, missing rows 2', async () => {
    const keys = await Promise.all([0, 1, 2, 3].map((i) => record({ i, even: i % 2 === 0 })))
    const all = [...keys, new Key(NS, set, 'missing-batch')]
    const evens = exp.eq(exp.binBool('even'), exp.bool(true))
    const res = await fx.client.batchRead(all.map((key) => ({ key, readAllBins: true })), { filterExpression: evens })
    expect(res.map((r) => r.status)).toEqual([0, 27, 0, 27, 2])
    expect(res[2].record.bins).toEqual({ i: 2, even: true })
    const got = await fx.client.batchGet(all, { filterExpression: exp.gt(exp.binInt('i'), exp.int(1)) })
    expect(got.map((r) => r.status)).toEqual([27, 27, 0, 0, 2])
    const ex = await fx.client.batchExists(keys, { filterExpression: exp.lt(exp.binInt('i'), exp.int(1)) })
    expect(ex.map((r) => r.status)).toEqual([0, 27, 27, 27])
  })

  it('a read row’s own filter replaces the batch filter for that row', async () => {
    const keys = await Promise.all([0, 1, 2].map((i) => record({ i })))
    const isI = (v: number) => exp.eq(exp.binInt('i'), exp.int(v))
    const res = await fx.client.batchRead(
      [
        { key: keys[0], readAllBins: true },
        { key: keys[1], readAllBins: true, policy: { filterExpression: isI(1) } },
        { key: keys[2], ops: [op.read('i')], policy: { filterExpression: isI(1) } },
      ],
      { filterExpression: isI(0) },
    )
    expect(res.map((r) => r.status)).toEqual([0, 0, 27])
    expect(res[1].record.bins).toEqual({ i: 1 })
  })

  it('batchWrite and batchRemove rows with filters write only matching records', async () => {
    const keys = await Promise.all([0, 1, 2, 3].map((i) => record({ i })))
    const isI = (v: number) => exp.eq(exp.binInt('i'), exp.int(v))
    const res = await fx.client.batchWrite(
      [
        { type: aerospike.batchType.BATCH_WRITE, key: keys[0], ops: [op.write('w', 1)], policy: { filterExpression: isI(0) } },
        { type: aerospike.batchType.BATCH_WRITE, key: keys[1], ops: [op.write('w', 1)], policy: { filterExpression: isI(0) } },
        { type: aerospike.batchType.BATCH_WRITE, key: keys[2], ops: [op.write('w', 1)] },
        { type: aerospike.batchType.BATCH_REMOVE, key: keys[3], policy: { filterExpression: isI(0) } },
      ],
      { filterExpression: exp.le(exp.binInt('i'), exp.int(1)) },
    )
    // Row 2 has no filter of its own: the batch's (i <= 1) filters it out.
    expect(res.map((r) => r.status)).toEqual([0, 27, 27, 27])
    expect((await bins(keys[0])).w).toBe(1)
    expect((await bins(keys[1])).w).toBeUndefined()
    expect((await bins(keys[2])).w).toBeUndefined()
    expect(await fx.client.exists(keys[3])).toBe(true)
    const rm = await fx.client.batchRemove(keys, null, { filterExpression: exp.ge(exp.binInt('i'), exp.int(2)) })
    expect(rm.map((r) => r.status)).toEqual([27, 27, 0, 0])
    expect(await Promise.all(keys.map((k) => fx.client.exists(k)))).toEqual([true, true, false, false])
  })
})

describe('filterExpression on scans', () => {
  const scanSet = uniqueSet('expscan')
  const N = 60
  beforeAll(async () => {
    await fx.client.batchWrite(
      Array.from({ length: N }, (_, i) => ({
        type: aerospike.batchType.BATCH_WRITE,
        key: new Key(NS, scanSet, i),
        ops: [op.write('i', i), op.write('tag', i % 3 === 0 ? 'fizz' : 'other'), op.write('l', Array.from({ length: i % 5 }, (_, j) => j))],
      })),
      null,
    )
  })
  afterAll(async () => {
    await fx.client.truncate(NS, scanSet, 0).catch(() => {})
  })
  const ids = (rs: aerospike.AerospikeRecord[]) => rs.map((r) => r.bins.i as number).sort((a, b) => a - b)
  const range = (f: (i: number) => boolean) => Array.from({ length: N }, (_, i) => i).filter(f)

  it('results() returns exactly the records the filter accepts', async () => {
    const f = exp.and(exp.ge(exp.binInt('i'), exp.int(10)), exp.eq(exp.binStr('tag'), exp.str('fizz')))
    expect(ids(await fx.client.scan(NS, scanSet).results({ filterExpression: f }))).toEqual(range((i) => i >= 10 && i % 3 === 0))
    const big = exp.gt(exp.lists.size(exp.binList('l')), exp.int(2))
    expect(ids(await fx.client.scan(NS, scanSet).results({ filterExpression: big }))).toEqual(range((i) => i % 5 > 2))
    expect(await fx.client.scan(NS, scanSet).results({ filterExpression: exp.eq(exp.binInt('i'), exp.int(-1)) })).toEqual([])
  })

  it('works with select(), the event stream, async iteration and digestModulo sampling', async () => {
    const f = exp.lt(exp.binInt('i'), exp.int(7))
    const sel = await fx.client.scan(NS, scanSet).select('tag').results({ filterExpression: exp.eq(exp.binStr('tag'), exp.str('fizz')) })
    expect(sel).toHaveLength(range((i) => i % 3 === 0).length)
    for (const r of sel) expect(r.bins).toEqual({ tag: 'fizz' })
    const streamed: number[] = await new Promise((resolve, reject) => {
      const out: number[] = []
      const s = fx.client.scan(NS, scanSet).foreach({ filterExpression: f })
      s.on('data', (r: aerospike.AerospikeRecord) => out.push(r.bins.i as number))
      s.on('error', reject)
      s.on('end', () => resolve(out.sort((a, b) => a - b)))
    })
    expect(streamed).toEqual(range((i) => i < 7))
    const sampled = ids(await fx.client.scan(NS, scanSet).results({ filterExpression: exp.eq(exp.digestModulo(4), exp.int(1)) }))
    const expected = range((i) => new Key(NS, scanSet, i).digest.readUInt32LE(16) % 4 === 1)
    expect(sampled).toEqual(expected)
    expect(sampled.length).toBeGreaterThan(0)
  })

  it('a filter the server cannot build fails the scan with 4', async () => {
    await expectCode(fx.client.scan(NS, scanSet).results({ filterExpression: exp.binInt('i') }), status.ERR_REQUEST_INVALID)
  })
})

describe('record metadata and key expressions', () => {
  it('ttl, voidTime, lastUpdate, sinceUpdate, setName, keyExist, isTombstone, sizes', async () => {
    const before = BigInt(Date.now() - 1000) * 1_000_000n
    const k = await record({ a: 1, s: 'abc' }, { ttl: 1000 }, { key: policy.key.SEND })
    const after = BigInt(Date.now() + 1000) * 1_000_000n
    const r = await evaluate(k, {
      ttl: exp.ttl(),
      voidTime: exp.voidTime(),
      lastUpdate: exp.lastUpdate(),
      sinceUpdate: exp.sinceUpdate(),
      setName: exp.setName(),
      keyExist: exp.keyExist(),
      tombstone: exp.isTombstone(),
      recordSize: exp.recordSize(),
      digest: exp.digestModulo(1000),
    })
    expect(r.ttl).toBeGreaterThan(990)
    expect(r.ttl).toBeLessThanOrEqual(1000)
    const lastUpdate = BigInt(r.lastUpdate as bigint)
    expect(lastUpdate >= before && lastUpdate <= after).toBe(true)
    // voidTime is lastUpdate + ttl (nanoseconds since the epoch).
    const voidTime = BigInt(r.voidTime as bigint)
    expect(voidTime - lastUpdate >= 990n * 1_000_000_000n && voidTime - lastUpdate <= 1001n * 1_000_000_000n).toBe(true)
    expect(r.sinceUpdate).toBeGreaterThanOrEqual(0)
    expect(r.sinceUpdate).toBeLessThan(60_000)
    expect(r.setName).toBe(set)
    expect(r.keyExist).toBe(true)
    expect(r.tombstone).toBe(false)
    expect(r.recordSize).toBeGreaterThan(0)
    expect(r.digest).toBe(k.digest.readUInt32LE(16) % 1000)
    const rec = (await fx.client.get(k)) as aerospike.AerospikeRecord
    expect(await passes(k, exp.eq(exp.ttl(), exp.int(rec.ttl)))).toBe(true)
  })

  it('records that never expire have ttl -1; a record without a stored key has keyExist false', async () => {
    const k = await record({ a: 1 }, { ttl: aerospike.ttl.NEVER_EXPIRE })
    const r = await evaluate(k, { ttl: exp.ttl(), keyExist: exp.keyExist() })
    expect(r).toEqual({ ttl: -1, keyExist: false })
    expect(await passes(k, exp.keyExist())).toBe(false)
  })

  it('keyInt, keyStr and keyBlob match the stored user key of their type', async () => {
    const send = { key: policy.key.SEND }
    const ks = new Key(NS, set, 'user-17')
    const ki = new Key(NS, set, 17)
    const kb = new Key(NS, set, Buffer.from([1, 2, 3]))
    for (const k of [ks, ki, kb]) await fx.client.put(k, { a: 1 }, {}, send)
    expect(await passes(ks, exp.eq(exp.keyStr(), exp.str('user-17')))).toBe(true)
    expect(await passes(ks, exp.eq(exp.keyStr(), exp.str('user-18')))).toBe(false)
    expect(await passes(ki, exp.gt(exp.keyInt(), exp.int(16)))).toBe(true)
    expect(await passes(ki, exp.eq(exp.keyStr(), exp.str('17')))).toBe(false)
    expect(await passes(kb, exp.eq(exp.keyBlob(), exp.bytes(Buffer.from([1, 2, 3]))))).toBe(true)
  })

  it('binType and binExists', async () => {
    const k = await record({ i: 1, s: 'x', f: 1.5, l: [1], m: { a: 1 }, b: Buffer.from([1]) })
    const r = await evaluate(k, {
      i: exp.binType('i'),
      s: exp.binType('s'),
      f: exp.binType('f'),
      l: exp.binType('l'),
      m: exp.binType('m'),
      b: exp.binType('b'),
      none: exp.binType('none'),
      has: exp.binExists('s'),
      hasNot: exp.binExists('none'),
    })
    // Particle types: 1 integer, 2 float, 3 string, 4 blob, 19 map, 20 list.
    expect(r).toEqual({ i: 1, s: 3, f: 2, l: 20, m: 19, b: 4, none: 0, has: true, hasNot: false })
  })
})

describe('values, comparisons and logic', () => {
  it('typed bins compare with literals of their type', async () => {
    const geo = aerospike.GeoJSON.Point(10, 20)
    const k = await record({ i: 42, f: 2.5, s: 'hello', b: Buffer.from([1, 2]), t: true, l: [1, 'a'], g: geo, big: 2n ** 60n })
    const cases: Array<[aerospike.AerospikeExp, boolean]> = [
      [exp.eq(exp.binInt('i'), exp.int(42)), true],
      [exp.eq(exp.binInt('i'), exp.uint(42)), true],
      [exp.gt(exp.binInt('i'), exp.int(42)), false],
      [exp.ge(exp.binInt('i'), exp.int(42)), true],
      [exp.lt(exp.binInt('i'), exp.int(43)), true],
      [exp.le(exp.binInt('i'), exp.int(41)), false],
      [exp.ne(exp.binInt('i'), exp.int(41)), true],
      [exp.eq(exp.binInt('big'), exp.int(2n ** 60n)), true],
      [exp.eq(exp.binFloat('f'), exp.float(2.5)), true],
      [exp.lt(exp.binFloat('f'), exp.float(new aerospike.Double(3))), true],
      [exp.eq(exp.binStr('s'), exp.str('hello')), true],
      [exp.gt(exp.binStr('s'), exp.str('help')), false],
      [exp.eq(exp.binBlob('b'), exp.bytes(Buffer.from([1, 2]))), true],
      [exp.eq(exp.binBlob('b'), exp.bytes([1, 2, 3], 2)), true],
      [exp.eq(exp.binBool('t'), exp.bool(true)), true],
      [exp.binBool('t'), true],
      [exp.eq(exp.binList('l'), exp.list([1, 'a'])), true],
      [exp.eq(exp.binList('l'), exp.list([1, 'b'])), false],
      [exp.cmpGeo(exp.binGeo('g'), exp.geo(aerospike.GeoJSON.Circle(10, 20, 1000))), true],
      [exp.cmpGeo(exp.binGeo('g'), exp.geo({ type: 'AeroCircle', coordinates: [[50, 50], 1000] })), false],
      [exp.cmpRegex(aerospike.regex.ICASE, '^HEL', exp.binStr('s')), true],
      [exp.cmpRegex(aerospike.regex.EXTENDED | aerospike.regex.ICASE, '^HEL+O$', exp.binStr('s')), true],
      [exp.cmpRegex(aerospike.regex.ICASE, '^HEL+O$', exp.binStr('s')), false], // + is literal in basic regexes
      [exp.cmpRegex(aerospike.regex.BASIC, '^HEL', exp.binStr('s')), false],
      [exp.cmpRegex(aerospike.regex.EXTENDED, 'l{2}', exp.binStr('s')), true],
    ]
    if (from81) cases.push([exp.inList(exp.str('a'), exp.binList('l')), true], [exp.inList(exp.int(2), exp.binList('l')), false])
    for (const [e, want] of cases) expect(await passes(k, e), hex(e)).toBe(want)
  })

  it('map literals are key-ordered: they equal key-ordered map bins', async () => {
    const k = await record({ a: 1 })
    await fx.client.operate(k, [exp.operations.write('m', exp.map({ b: 2, a: 1 }))])
    expect((await bins(k)).m).toEqual({ a: 1, b: 2 })
    expect(await passes(k, exp.eq(exp.binMap('m'), exp.map({ a: 1, b: 2 })))).toBe(true)
    expect(await passes(k, exp.eq(exp.binMap('m'), exp.map(new Map([['b', 2], ['a', 1]]))))).toBe(true)
    expect(await passes(k, exp.eq(exp.binMap('m'), exp.map({ a: 1 })))).toBe(false)
    if (from81) expect(await evaluate(k, { keys: exp.mapKeys(exp.binMap('m')), values: exp.mapValues(exp.binMap('m')) })).toEqual({ keys: ['a', 'b'], values: [1, 2] })
  })

  it('and, or, not, exclusive with three-valued logic', async () => {
    const k = await record({ a: 1, b: 2 })
    const T = exp.eq(exp.binInt('a'), exp.int(1))
    const F = exp.eq(exp.binInt('a'), exp.int(2))
    const U = exp.eq(exp.binInt('missing'), exp.int(1)) // unknown
    const table: Array<[aerospike.AerospikeExp, boolean]> = [
      [exp.and(T, T), true],
      [exp.and(T, F), false],
      [exp.and(T, U), false],
      [exp.or(F, T), true],
      [exp.or(F, F), false],
      [exp.or(U, T), true],
      [exp.or(U, F), false],
      [exp.not(F), true],
      [exp.not(U), false],
      [exp.exclusive(T, F, F), true],
      [exp.exclusive(T, T, F), false],
      [exp.xor(F, T), true],
    ]
    for (const [e, want] of table) expect(await passes(k, e), hex(e)).toBe(want)
    // EVAL_NO_FAIL reads of unknown and false show the difference.
    expect(await evaluate(k, { u: exp.and(T, U), f: exp.and(F, U), t: exp.or(T, U) }, exp.expReadFlags.EVAL_NO_FAIL)).toEqual({ u: null, f: false, t: true })
  })
})

describe('arithmetic and integer bit operations', () => {
  it('integer and float arithmetic match JavaScript on the stored values', async () => {
    const [a, b, c] = [17, -5, 4]
    const [x, y] = [7.5, 2.25]
    const k = await record({ a, b, c, x, y })
    const I = exp.binInt
    const F = exp.binFloat
    const r = await evaluate(k, {
      add: exp.add(I('a'), I('b'), I('c')),
      sub: exp.sub(I('a'), I('b'), I('c')),
      neg: exp.sub(I('a')),
      mul: exp.mul(I('a'), I('b')),
      div: exp.div(I('a'), I('c')),
      divNeg: exp.div(I('b'), I('c')),
      mod: exp.mod(I('a'), I('c')),
      abs: exp.abs(I('b')),
      min: exp.min(I('a'), I('b'), I('c')),
      max: exp.max(I('a'), I('b'), I('c')),
      fadd: exp.add(F('x'), F('y')),
      fdiv: exp.div(F('x'), F('y')),
      pow: exp.pow(F('x'), exp.float(2)),
      log: exp.log(exp.float(8), exp.float(2)),
      floor: exp.floor(F('x')),
      ceil: exp.ceil(F('x')),
      toInt: exp.toInt(F('x')),
      toFloat: exp.toFloat(I('a')),
      fabs: exp.abs(exp.float(-1.5)),
    })
    expect(r).toMatchObject({
      add: a + b + c,
      sub: a - b - c,
      neg: -a,
      mul: a * b,
      div: Math.trunc(a / c),
      divNeg: Math.trunc(b / c),
      mod: a % c,
      abs: Math.abs(b),
      min: Math.min(a, b, c),
      max: Math.max(a, b, c),
      fadd: x + y,
      fdiv: x / y,
      floor: Math.floor(x),
      ceil: Math.ceil(x),
      toInt: Math.trunc(x),
      toFloat: a,
      fabs: 1.5,
    })
    expect(r.pow).toBeCloseTo(x ** 2)
    expect(r.log).toBeCloseTo(3)
  })

  it('intAnd, intOr, intXor, intNot, shifts, intCount, intLscan, intRscan', async () => {
    const [p, q] = [0b1100, 0b1010]
    const k = await record({ p, q, neg: -16 })
    const I = exp.binInt
    const r = await evaluate(k, {
      and: exp.intAnd(I('p'), I('q')),
      or: exp.intOr(I('p'), I('q')),
      xor: exp.intXor(I('p'), I('q')),
      not: exp.intNot(I('p')),
      lshift: exp.intLshift(I('p'), exp.int(3)),
      rshift: exp.intRshift(I('neg'), exp.int(60)),
      arshift: exp.intArshift(I('neg'), exp.int(2)),
      count: exp.intCount(I('p')),
      lscan: exp.intLscan(I('p'), exp.bool(true)),
      rscan: exp.intRscan(I('p'), exp.bool(true)),
      lscan0: exp.intLscan(I('neg'), exp.bool(false)),
    })
    expect(r).toEqual({
      and: p & q,
      or: p | q,
      xor: p ^ q,
      not: ~p,
      lshift: p << 3,
      rshift: Number(BigInt.asUintN(64, -16n) >> 60n),
      arshift: -16 >> 2,
      count: 2,
      lscan: 60, // bit 3 of 64, counted from the most significant bit
      rscan: 61, // the least significant set bit (bit 2) is position 61 from the left
      lscan0: 60, // -16 = 1…10000: the first 0 is at position 60
    })
  })

  it('mixing integer and float operands is a server parameter error (4)', async () => {
    const k = await record({ a: 1, x: 1.5 })
    await expectCode(fx.client.get(k, { filterExpression: exp.gt(exp.add(exp.binInt('a'), exp.binFloat('x')), exp.int(0)) }), status.ERR_REQUEST_INVALID)
    await expectCode(fx.client.operate(k, [exp.operations.read('r', exp.pow(exp.int(2), exp.int(2)))]), status.ERR_REQUEST_INVALID)
  })
})

describe('cond, let, def, var', () => {
  it('cond picks the first true branch, else the default', async () => {
    const grade = exp.cond(
      exp.ge(exp.binInt('score'), exp.int(90)),
      exp.str('A'),
      exp.ge(exp.binInt('score'), exp.int(75)),
      exp.str('B'),
      exp.str('C'),
    )
    for (const [score, want] of [
      [95, 'A'],
      [80, 'B'],
      [10, 'C'],
    ] as const) {
      const k = await record({ score })
      expect(await evaluate(k, { g: grade })).toEqual({ g: want })
      expect(await passes(k, exp.eq(grade, exp.str(want)))).toBe(true)
    }
  })

  it('cond with an unknown branch fails unless EVAL_NO_FAIL', async () => {
    const k = await record({ a: 1 })
    const e = exp.cond(exp.eq(exp.binInt('a'), exp.int(2)), exp.int(1), exp.unknown())
    await expectCode(fx.client.operate(k, [exp.operations.read('r', e)]), status.ERR_OP_NOT_APPLICABLE)
    expect(await evaluate(k, { r: e }, exp.expReadFlags.EVAL_NO_FAIL)).toEqual({ r: null })
  })

  it('let binds variables that later definitions and the scope use', async () => {
    const k = await record({ a: 6, b: 4 })
    const e = exp.let(
      exp.def('sum', exp.add(exp.binInt('a'), exp.binInt('b'))),
      exp.def('twice', exp.mul(exp.var('sum'), exp.int(2))),
      exp.cond(exp.gt(exp.var('twice'), exp.int(15)), exp.var('twice'), exp.int(0)),
    )
    expect(await evaluate(k, { r: e })).toEqual({ r: 20 })
    expect(await passes(k, exp.let(exp.def('x', exp.binInt('a')), exp.and(exp.gt(exp.var('x'), exp.int(5)), exp.lt(exp.var('x'), exp.int(7)))))).toBe(true)
    // A variable used outside its let is a server parameter error.
    await expectCode(fx.client.get(k, { filterExpression: exp.eq(exp.var('nope'), exp.int(1)) }), status.ERR_REQUEST_INVALID)
  })
})

describe('expression operations', () => {
  it('read returns the value under its name without changing the record; write stores it', async () => {
    const k = await record({ a: 5, s: 'x' })
    const res = await fx.client.operate(k, [
      exp.operations.read('sum', exp.add(exp.binInt('a'), exp.int(1))),
      exp.operations.write('b', exp.mul(exp.binInt('a'), exp.int(3))),
      op.read('a'),
    ])
    // As with the official client, an expression op reports every op (a write as null).
    expect(res.bins).toEqual({ sum: 6, b: null, a: 5 })
    expect(await bins(k)).toEqual({ a: 5, s: 'x', b: 15 })
    expect(res.gen).toBe(2)
  })

  it('write flags: CREATE_ONLY, UPDATE_ONLY, POLICY_NO_FAIL, ALLOW_DELETE', async () => {
    const F = exp.expWriteFlags
    const k = await record({ a: 1 })
    await expectCode(fx.client.operate(k, [exp.operations.write('a', exp.int(2), F.CREATE_ONLY)]), status.ERR_BIN_EXISTS)
    await expectCode(fx.client.operate(k, [exp.operations.write('z', exp.int(2), F.UPDATE_ONLY)]), status.ERR_BIN_NOT_FOUND)
    await fx.client.operate(k, [exp.operations.write('a', exp.int(2), F.CREATE_ONLY | F.POLICY_NO_FAIL)])
    await fx.client.operate(k, [exp.operations.write('c', exp.int(3), F.CREATE_ONLY)])
    await fx.client.operate(k, [exp.operations.write('a', exp.int(4), F.UPDATE_ONLY)])
    expect(await bins(k)).toEqual({ a: 4, c: 3 })
    await expectCode(fx.client.operate(k, [exp.operations.write('c', exp.nil())]), status.ERR_OP_NOT_APPLICABLE)
    await fx.client.operate(k, [exp.operations.write('c', exp.nil(), F.ALLOW_DELETE)])
    expect(await bins(k)).toEqual({ a: 4 })
  })

  it('EVAL_NO_FAIL turns an expression that cannot be evaluated into nil / a no-op', async () => {
    const k = await record({ a: 1, s: 'x' })
    const bad = exp.add(exp.binInt('s'), exp.int(1)) // s is not an integer: unknown
    await expectCode(fx.client.operate(k, [exp.operations.read('r', bad)]), status.ERR_OP_NOT_APPLICABLE)
    expect((await fx.client.operate(k, [exp.operations.read('r', bad, exp.expReadFlags.EVAL_NO_FAIL), op.read('a')])).bins).toEqual({ r: null, a: 1 })
    await expectCode(fx.client.operate(k, [exp.operations.write('w', bad)]), status.ERR_OP_NOT_APPLICABLE)
    await fx.client.operate(k, [exp.operations.write('w', bad, exp.expWriteFlags.EVAL_NO_FAIL)])
    expect(await bins(k)).toEqual({ a: 1, s: 'x' })
  })

  it('expression ops work with a filter, in batches, and with other operations', async () => {
    const k = await record({ a: 2 })
    const double = exp.operations.write('a', exp.mul(exp.binInt('a'), exp.int(2)))
    await expectCode(fx.client.operate(k, [double], null, { filterExpression: exp.eq(exp.binInt('a'), exp.int(3)) }), status.FILTERED_OUT)
    await fx.client.operate(k, [double, op.incr('a', 1)], null, { filterExpression: exp.eq(exp.binInt('a'), exp.int(2)) })
    expect((await bins(k)).a).toBe(5)
    const res = await fx.client.batchRead([{ key: k, ops: [exp.operations.read('x', exp.sub(exp.binInt('a'), exp.int(1)))] }])
    expect(res[0].status).toBe(0)
    expect(res[0].record.bins).toEqual({ x: 4 })
    const w = await fx.client.batchWrite([{ type: aerospike.batchType.BATCH_WRITE, key: k, ops: [double] }])
    expect(w[0].status).toBe(0)
    expect((await bins(k)).a).toBe(10)
  })
})

describe('bad input', () => {
  it('an expression is an array, as the official client\'s, and still never taken for a list value', async () => {
    const e = exp.eq(exp.binInt('a'), exp.int(1))
    expect(Array.isArray(e)).toBe(true)
    expect(e).toBeInstanceOf(aerospike.AerospikeExp)
    expect(e.map((x) => x)).not.toBeInstanceOf(aerospike.AerospikeExp)
    expect(() => exp.list(e as never)).toThrow(TypeError)
    expect(() => exp.bytes(e as never)).toThrow(TypeError)
    expect(() => exp.list([e] as never)).toThrow(/AerospikeExp/)
    await expect(fx.client.put(await fx.record({ a: 1 }), { b: e as never })).rejects.toThrow(TypeError)
    expect(exp.int(1)).not.toEqual(exp.int(2))
  })

  it('exp.int takes an integral number beyond 2^53 as the integer it holds, as the official client', () => {
    expect(exp.int(2 ** 60).toBase64()).toBe(exp.int(2n ** 60n).toBase64())
    expect(exp.int(-(2 ** 62)).toBase64()).toBe(exp.int(-(2n ** 62n)).toBase64())
  })

  it('builders throw TypeErrors naming the builder and argument', () => {
    const bad: Array<[() => unknown, RegExp]> = [
      [() => exp.int(1.5), /exp\.int/],
      [() => exp.int('1' as unknown as number), /exp\.int/],
      [() => exp.int(2n ** 63n), /64-bit/],
      [() => exp.int(2 ** 63), /64-bit/],
      [() => exp.uint(-1), /exp\.uint/],
      [() => exp.float('1' as unknown as number), /exp\.float/],
      [() => exp.str(1 as unknown as string), /exp\.str/],
      [() => exp.bool(1 as unknown as boolean), /exp\.bool/],
      [() => exp.bytes('ab' as unknown as Buffer), /exp\.bytes/],
      [() => exp.bytes(Buffer.from([1]), 2), /size/],
      [() => exp.geo('not json'), /exp\.geo/],
      [() => exp.list({} as unknown as unknown[]), /exp\.list/],
      [() => exp.list([undefined]), /exp\.list/],
      [() => exp.list([() => 1]), /exp\.list/],
      [() => exp.map([] as unknown as Record<string, unknown>), /exp\.map/],
      [() => exp.map(new Map([[{}, 1]])), /map keys/],
      [() => exp.binInt(''), /bin name/],
      [() => exp.binInt('a_very_long_bin_name'), /longer than 15 bytes/],
      [() => exp.eq(exp.binInt('a'), 1 as unknown as aerospike.AerospikeExp), /exp\.eq: right .*exp\.int\(1\)/],
      [() => exp.and(), /exp\.and needs at least 1/],
      [() => exp.add(exp.int(1), 'x' as unknown as aerospike.AerospikeExp), /exp\.add: argument 2/],
      [() => (exp.pow as (...a: unknown[]) => unknown)(exp.float(1)), /exp\.pow takes 2/],
      [() => exp.cond(exp.bool(true), exp.int(1)), /exp\.cond/],
      [() => exp.let(exp.int(1)), /exp\.let/],
      [() => exp.let(exp.int(1), exp.int(2)), /exp\.def/],
      [() => exp.def('1x', exp.int(1)), /variable name/],
      [() => exp.var('a-b'), /variable name/],
      [() => exp.cmpRegex(0, 1 as unknown as string, exp.binStr('s')), /regex/],
      [() => exp.digestModulo(0), /mod/],
      [() => exp.lists.size(exp.binList('l'), {} as aerospike.cdt.Context), /ctx/],
      [() => exp.lists.getByIndex(exp.binList('l'), exp.int(0), exp.type.AUTO, lists.returnType.VALUE), /valueType/],
      [() => exp.lists.getByIndex(exp.binList('l'), exp.int(0), exp.type.STR, lists.returnType.COUNT), /valueType/],
      [() => exp.lists.getByValue(exp.binList('l'), exp.int(0), lists.returnType.NONE), /return type/],
      [() => exp.lists.getByValue(exp.binList('l'), exp.int(0), 99), /returnType/],
      [() => exp.lists.append(exp.binList('l'), exp.int(0), { order: 7 }), /order/],
      [() => exp.maps.getByKey(exp.binMap('m'), exp.str('k'), exp.type.AUTO, maps.returnType.KEY_VALUE | 0x40000), /returnType/],
      [() => exp.maps.put(exp.binMap('m'), exp.int(1), exp.str('k'), { writeFlags: 99 }), /writeFlags/],
      [() => exp.bit.getInt(exp.binBlob('b'), 1 as unknown as boolean, exp.int(8), exp.int(0)), /sign/],
      [() => exp.hll.init(exp.binHll('h'), 99), /indexBitCount/],
      [() => exp.operations.read('', exp.int(1)), /bin name/],
    ]
    for (const [f, msg] of bad) expect(f, String(f)).toThrow(msg)
    for (const [f] of bad) expect(f).toThrow(TypeError)
  })

  it('commands reject a filterExpression or expression op that is not an expression with a TypeError', async () => {
    const k = await record({ a: 1 })
    await expect(fx.client.get(k, { filterExpression: 42 as unknown as aerospike.AerospikeExp })).rejects.toThrow(/filterExpression/)
    await expect(fx.client.get(k, { filterExpression: [{ op: 1 }] as unknown as aerospike.AerospikeExp })).rejects.toThrow(TypeError)
    await expect(fx.client.put(k, { a: 2 }, {}, { filterExpression: {} as aerospike.AerospikeExp })).rejects.toThrow(TypeError)
    await expect(fx.client.operate(k, [exp.operations.read('x', 1 as unknown as aerospike.AerospikeExp)])).rejects.toThrow(TypeError)
    await expect(fx.client.operate(k, [exp.operations.write('x', exp.int(1), 99)])).rejects.toThrow(/flags/)
    await expect(fx.client.scan(NS, set).results({ filterExpression: '!!' })).rejects.toThrow(TypeError)
    expect(() => exp.fromBase64('')).toThrow(TypeError)
    expect(await bins(k)).toEqual({ a: 1 })
  })

  it('the server refuses what it cannot build with ERR_REQUEST_INVALID (4)', async () => {
    const k = await record({ a: 1, s: 'x' })
    const invalid = [
      exp.eq(exp.binInt('a'), exp.str('1')), // operands of different types
      exp.binInt('a'), // a filter that is not boolean
      exp.and(exp.bool(true)), // and with one argument
      exp.add(exp.str('a'), exp.str('b')), // arithmetic on strings
      exp.gt(exp.lists.size(exp.binStr('s')), exp.int(0)), // a list call on a string bin
      exp.fromBase64(Buffer.from([0x93, 0x01]).toString('base64')), // truncated
      exp.fromBase64(Buffer.from([0x92, 0x0a, 0x01]).toString('base64')), // op 10 does not exist
      exp.fromBase64(Buffer.from([0xc3, 0xc3]).toString('base64')), // two expressions
    ]
    for (const e of invalid) await expectCode(fx.client.get(k, { filterExpression: e }), status.ERR_REQUEST_INVALID)
    await expectCode(fx.client.operate(k, [exp.operations.read('r', exp.fromBase64('kwE='))]), status.ERR_REQUEST_INVALID)
    expect(await bins(k)).toEqual({ a: 1, s: 'x' })
  })
})
