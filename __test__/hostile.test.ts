// Hostile input at the API: every public client method is called with hostile values in every
// argument position (and inside bins, keys, records and policies). Each call must either succeed
// or fail with a TypeError or an AerospikeError — never another error, a hang or a crash — and the
// client must keep working afterwards. The cases are generated; there are more than 10,000.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectClient, NS, uniqueSet } from './helpers'

const cyclic: Record<string, unknown> = { a: 1 }
cyclic.self = cyclic
const cyclicArr: unknown[] = [1]
cyclicArr.push(cyclicArr)
let deep: unknown = 1
for (let i = 0; i < 2000; i++) deep = [deep]
let deepObj: unknown = 1
for (let i = 0; i < 2000; i++) deepObj = { d: deepObj }
const throwingGetter = Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('getter') } })
const throwingProxy = new Proxy({}, { get: () => { throw new Error('proxy get') }, ownKeys: () => { throw new Error('proxy keys') } })

/** Values no API should accept silently or choke on. */
const HOSTILE: Array<[string, () => unknown]> = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity],
  ['-0', () => -0],
  ['1.5', () => 1.5],
  ['2^53', () => 2 ** 53],
  ['-2^63-1 (bigint)', () => -(2n ** 63n) - 1n],
  ['2^64 (bigint)', () => 2n ** 64n],
  ['-1', () => -1],
  ['2^32', () => 2 ** 32],
  ['empty string', () => ''],
  ['1 MB string', () => 'x'.repeat(1 << 20)],
  ['unpaired surrogate', () => '\ud800'],
  ['NUL string', () => 'a\u0000b'],
  ['2 MB buffer', () => Buffer.alloc(2 << 20)],
  ['empty buffer', () => Buffer.alloc(0)],
  ['Uint16Array', () => new Uint16Array(3)],
  ['ArrayBuffer', () => new ArrayBuffer(4)],
  ['empty object', () => ({})],
  ['empty array', () => []],
  // biome-ignore lint/suspicious/noSparseArray: the hole is the hostile input under test
  ['sparse array', () => [1, , 3]],
  ['100k array', () => new Array(100_000).fill(1)],
  ['cyclic object', () => cyclic],
  ['cyclic array', () => cyclicArr],
  ['2000-deep list', () => deep],
  ['2000-deep object', () => deepObj],
  ['throwing getter', () => throwingGetter],
  ['throwing proxy', () => throwingProxy],
  ['symbol', () => Symbol('s')],
  ['function', () => () => 42],
  ['Date', () => new Date()],
  ['RegExp', () => /x/],
  ['Promise', () => Promise.resolve(1)],
  ['Error', () => new Error('e')],
  ['Map with object key', () => new Map([[{}, 1]])],
  ['Set', () => new Set([1])],
  ['boxed number', () => new Number(3)], // eslint-disable-line no-new-wrappers
  ['class instance', () => new (class Foo { x = 1 })()],
  ['object with 10k keys', () => Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))],
  ['bin name too long', () => ({ abcdefghijklmnopq: 1 })],
  ['bins with undefined', () => ({ a: undefined })],
  ['key-like object', () => ({ ns: NS, set: 's', key: {} })],
  ['string number', () => '42'],
  ['true', () => true],
]

let client: aerospike.Client
const set = uniqueSet('hostile')
const okKey = () => new aerospike.Key(NS, set, 'ok')

type Method = { name: string; args: () => unknown[]; call: (args: unknown[]) => unknown }

const m = (name: string, args: () => unknown[]): Method => ({
  name,
  args,
  call: (a) => (client as unknown as Record<string, (...x: unknown[]) => unknown>)[name]!(...a),
})

const METHODS: Method[] = [
  m('put', () => [okKey(), { a: 1 }, { ttl: 100 }, { totalTimeout: 1000 }]),
  m('get', () => [okKey(), { totalTimeout: 1000 }]),
  m('select', () => [okKey(), ['a'], { totalTimeout: 1000 }]),
  m('exists', () => [okKey(), { totalTimeout: 1000 }]),
  m('existsWithMetadata', () => [okKey(), {}]),
  m('remove', () => [new aerospike.Key(NS, set, 'gone'), {}]),
  m('touch', () => [okKey(), 100, {}]),
  m('append', () => [new aerospike.Key(NS, set, 's'), { s: 'x' }, {}, {}]),
  m('prepend', () => [new aerospike.Key(NS, set, 's'), { s: 'x' }, {}, {}]),
  m('add', () => [new aerospike.Key(NS, set, 'n'), { n: 1 }, {}, {}]),
  m('incr', () => [new aerospike.Key(NS, set, 'n'), { n: 1 }, {}, {}]),
  m('operate', () => [okKey(), [aerospike.operations.read('a')], {}, {}]),
  m('batchRead', () => [[{ key: okKey(), readAllBins: true }], {}]),
  m('batchGet', () => [[okKey()], {}]),
  m('batchSelect', () => [[okKey()], ['a'], {}]),
  m('batchExists', () => [[okKey()], {}]),
  m('batchWrite', () => [[{ type: aerospike.batchType.BATCH_WRITE, key: okKey(), ops: [aerospike.operations.write('a', 1)] }], {}]),
  m('batchRemove', () => [[new aerospike.Key(NS, set, 'gone2')], {}, {}]),
  m('batchReadColumns', () => [[okKey()], { a: 'i64' }, {}]),
  m('infoAny', () => ['build', {}]),
  m('info', () => ['build', undefined, {}]),
  m('truncate', () => [NS, set, 0]),
]

/** Where a hostile value goes, for one method: each argument, and inside the structured ones. */
function placements(method: Method): Array<{ where: string; build: (v: unknown) => unknown[] }> {
  const base = method.args()
  const out: Array<{ where: string; build: (v: unknown) => unknown[] }> = []
  for (let i = 0; i < base.length + 1; i++) {
    out.push({ where: `arg${i}`, build: (v) => { const a = method.args(); a[i] = v; return a } })
  }
  base.forEach((arg, i) => {
    if (arg instanceof aerospike.Key) {
      for (const part of ['ns', 'set', 'key'] as const) {
        out.push({ where: `arg${i}.key.${part}`, build: (v) => { const a = method.args(); a[i] = { ns: NS, set, key: 'k', [part]: v }; return a } })
      }
    } else if (Array.isArray(arg)) {
      out.push({ where: `arg${i}[0]`, build: (v) => { const a = method.args(); (a[i] as unknown[])[0] = v; return a } })
      out.push({ where: `arg${i}[1]`, build: (v) => { const a = method.args(); (a[i] as unknown[]).push(v); return a } })
    } else if (arg && typeof arg === 'object') {
      const fields = ['totalTimeout', 'socketTimeout', 'maxRetries', 'ttl', 'gen', 'exists', 'key', 'replica', 'a', 'n', 's']
      for (const f of fields) {
        out.push({ where: `arg${i}.${f}`, build: (v) => { const a = method.args(); (a[i] as Record<string, unknown>)[f] = v; return a } })
      }
    }
  })
  return out
}

const CASES: Array<{ name: string; run: () => unknown }> = []
for (const method of METHODS) {
  for (const p of placements(method)) {
    for (const [label, make] of HOSTILE) {
      CASES.push({ name: `${method.name} ${p.where} = ${label}`, run: () => method.call(p.build(make())) })
    }
  }
}
// Constructors and builders too.
for (const [label, make] of HOSTILE) {
  for (let i = 0; i < 4; i++) {
    CASES.push({ name: `new Key arg${i} = ${label}`, run: () => { const a: unknown[] = [NS, set, 'k', undefined]; a[i] = make(); return new (aerospike.Key as unknown as new (...x: unknown[]) => unknown)(...a) } })
  }
  for (const op of ['write', 'read', 'incr', 'append', 'prepend', 'touch'] as const) {
    for (let i = 0; i < 2; i++) {
      CASES.push({ name: `operations.${op} arg${i} = ${label}`, run: () => { const a: unknown[] = ['b', 1]; a[i] = make(); const o = (aerospike.operations[op] as (...x: unknown[]) => unknown)(...a); return client.operate(okKey(), [o as aerospike.Operation]) } })
    }
  }
  for (const field of ['hosts', 'maxConnsPerNode', 'minConnsPerNode', 'maxSocketIdle', 'connTimeoutMs', 'tenderInterval', 'user', 'clusterName', 'policies']) {
    CASES.push({ name: `client(config.${field} = ${label})`, run: () => aerospike.client({ [field]: make() } as aerospike.ConfigOptions) })
  }
}

const outcome = async (run: () => unknown): Promise<string> => {
  try {
    const r = run()
    if (r && typeof (r as Promise<unknown>).then === 'function') {
      let timer: NodeJS.Timeout | undefined
      const hang = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('HANG')), 10_000) })
      try {
        await Promise.race([r, hang])
      } finally {
        clearTimeout(timer)
      }
    }
    return 'ok'
  } catch (e) {
    if (e instanceof TypeError) return 'TypeError'
    if (e instanceof aerospike.AerospikeError) return `AerospikeError ${e.code}`
    if (e instanceof RangeError && String(e.message).includes('call stack')) return `stack overflow: ${e.message}`
    return `unexpected ${(e as Error)?.constructor?.name}: ${String((e as Error)?.message ?? e).slice(0, 200)}`
  }
}

beforeAll(async () => {
  client = await connectClient()
  await client.put(okKey(), { a: 1 })
})
afterAll(async () => {
  await client.truncate(NS, set, 0).catch(() => {})
  await client.close()
})

describe('hostile input', () => {
  it(`${CASES.length} generated calls fail cleanly or succeed`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(10_000)
    const bad: string[] = []
    const counts: Record<string, number> = {}
    for (const c of CASES) {
      const o = await outcome(c.run)
      const kind = o.startsWith('AerospikeError') ? 'AerospikeError' : o
      counts[kind] = (counts[kind] ?? 0) + 1
      if (o !== 'ok' && o !== 'TypeError' && !o.startsWith('AerospikeError')) bad.push(`${c.name}: ${o}`)
    }
    expect(bad.slice(0, 30)).toEqual([])
    // Most hostile values must be refused, not silently accepted.
    expect(counts.TypeError ?? 0).toBeGreaterThan(CASES.length / 3)
  }, 300_000)

  it('the client and the data are intact afterwards', async () => {
    expect(client.isConnected()).toBe(true)
    const key = new aerospike.Key(NS, set, 'after')
    await client.put(key, { v: 'still here' })
    expect((await client.get(key)).bins.v).toBe('still here')
    expect((await client.get(okKey())).bins).toBeTypeOf('object')
  })
})
