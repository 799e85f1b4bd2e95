// Hostile input for the list, map, bitwise and HLL builders and cdt.Context: every builder is
// called with a hostile value in each argument position (and every context method with one), and
// the operation is run. Building either works or throws a TypeError; running either succeeds or
// fails with a TypeError or a server AerospikeError — never another error, a client-side code,
// a crash — and the client keeps working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectClient, NS, uniqueSet } from './helpers'

const cyclic: Record<string, unknown> = { a: 1 }
cyclic.self = cyclic
let deep: unknown = 1
for (let i = 0; i < 2000; i++) deep = [deep]

const HOSTILE: Array<[string, () => unknown]> = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['1.5', () => 1.5],
  ['2^53', () => 2 ** 53],
  ['2^31', () => 2 ** 31],
  ['-2^63-1 (bigint)', () => -(2n ** 63n) - 1n],
  ['2^64 (bigint)', () => 2n ** 64n],
  ['-1', () => -1],
  ['0x10005', () => 0x10005],
  ['empty string', () => ''],
  ['64 KB string', () => 'x'.repeat(1 << 16)],
  ['empty buffer', () => Buffer.alloc(0)],
  ['Uint16Array', () => new Uint16Array(3)],
  ['empty object', () => ({})],
  // biome-ignore lint/suspicious/noSparseArray: the hole is the hostile input under test
  ['sparse array', () => [1, , 3]],
  ['cyclic object', () => cyclic],
  ['2000-deep list', () => deep],
  ['throwing getter', () => Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('getter') } })],
  ['throwing proxy', () => new Proxy({}, { get: () => { throw new Error('proxy get') }, ownKeys: () => { throw new Error('proxy keys') } })],
  ['symbol', () => Symbol('s')],
  ['function', () => () => 42],
  ['Date', () => new Date()],
  ['Map with object key', () => new Map([[{}, 1]])],
  ['string number', () => '42'],
  ['true', () => true],
]

let client: aerospike.Client
const key = () => new aerospike.Key(NS, set, 'k')
const set = uniqueSet('cdthostile')
beforeAll(async () => {
  client = await connectClient()
})
afterAll(async () => {
  await client.close()
})

/** Runs `build` then the operation; returns a description of anything not allowed. */
async function attempt(build: () => aerospike.Operation): Promise<string | undefined> {
  let o: aerospike.Operation
  try {
    o = build()
  } catch (e) {
    return e instanceof TypeError ? undefined : `build threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`
  }
  try {
    await client.operate(key(), [o])
  } catch (e) {
    if (e instanceof TypeError) return undefined
    if (e instanceof aerospike.AerospikeError) return e.code >= 0 ? undefined : `client-side code ${e.code}: ${e.message}`
    return `operate rejected with ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`
  }
  return undefined
}

const MODULES = { lists: aerospike.lists, maps: aerospike.maps, bitwise: aerospike.bitwise, hll: aerospike.hll } as const
const CONTEXT = ['addListIndex', 'addListIndexCreate', 'addListRank', 'addListValue', 'addMapIndex', 'addMapRank', 'addMapKey', 'addMapKeyCreate', 'addMapValue'] as const

describe('hostile input to list, map, bitwise and HLL operations', () => {
  for (const [modName, mod] of Object.entries(MODULES)) {
    it(`${modName}: every builder, every argument position`, async () => {
      await client.put(key(), { bin: [1], other: 1 })
      const problems: string[] = []
      for (const [fname, f] of Object.entries(mod)) {
        if (typeof f !== 'function' || /^[A-Z]/.test(fname)) continue
        for (let pos = 0; pos < 6; pos++) {
          for (const [label, make] of HOSTILE) {
            const args: unknown[] = ['bin', 0, 1, 2, 3, 4]
            if (modName === 'hll' && fname !== 'init' && fname !== 'fold') args[1] = []
            args[pos] = make()
            const p = await attempt(() => (f as (...a: unknown[]) => aerospike.Operation)(...args))
            if (p) problems.push(`${modName}.${fname} arg${pos} = ${label}: ${p}`)
          }
        }
      }
      expect(problems).toEqual([])
      expect(((await client.get(key())) as aerospike.AerospikeRecord).bins.other).toBe(1)
    })
  }

  it('cdt.Context: every method', async () => {
    const problems: string[] = []
    for (const method of CONTEXT) {
      for (const [label, make] of HOSTILE) {
        for (const op of [aerospike.lists.size, aerospike.maps.size]) {
          const p = await attempt(() => op('bin').withContext((new aerospike.cdt.Context()[method] as (v: unknown) => aerospike.cdt.Context)(make())))
          if (p) problems.push(`${method}(${label}): ${p}`)
        }
      }
    }
    expect(problems).toEqual([])
  })
})
