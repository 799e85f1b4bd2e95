// Map operations through operate(): every builder of `maps` against the server, expectations
// computed from a JavaScript model of key indexes, value ranks and return types; nested
// contexts, key-ordered results, KEY_VALUE flat arrays, bigints and bad input. Of several ops on
// one bin an operate() answer keeps the last op's result; `opsEach` checks each op's result.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { aerospike, expectCode, recordFixture } from './helpers'

const { maps, lists, operations: op, cdt, status } = aerospike
const rt = maps.returnType

const fx = recordFixture('maps')
const { record, operate, bins, opsEach } = fx

// The model: string keys (index = key order) with distinct integer values (rank = value order).
const M: Record<string, number> = { a: 4, b: 1, c: 3, d: 2, e: 5 }
const KEYS = Object.keys(M).sort()
const byRank = [...KEYS].sort((x, y) => M[x] - M[y])
const keysWhere = (f: (k: string, v: number) => boolean) => KEYS.filter((k) => f(k, M[k]))
/** What each return type reports for a selection of keys (given in key order). */
function expected(type: number, sel: string[]): unknown {
  const len = KEYS.length
  switch (type) {
    case rt.INDEX:
      return sel.map((k) => KEYS.indexOf(k))
    case rt.REVERSE_INDEX:
      return sel.map((k) => len - 1 - KEYS.indexOf(k))
    case rt.RANK:
      return sel.map((k) => byRank.indexOf(k))
    case rt.REVERSE_RANK:
      return sel.map((k) => len - 1 - byRank.indexOf(k))
    case rt.COUNT:
      return sel.length
    case rt.KEY:
      return sel
    case rt.VALUE:
      return sel.map((k) => M[k])
    case rt.KEY_VALUE:
      return sel.flatMap((k) => [k, M[k]])
    case rt.EXISTS:
      return sel.length > 0
    case rt.UNORDERED_MAP:
    case rt.ORDERED_MAP:
      return Object.fromEntries(sel.map((k) => [k, M[k]]))
  }
  throw new Error(`no model for ${type}`)
}
const TYPES = [rt.INDEX, rt.REVERSE_INDEX, rt.RANK, rt.REVERSE_RANK, rt.COUNT, rt.KEY, rt.VALUE, rt.KEY_VALUE, rt.EXISTS, rt.UNORDERED_MAP, rt.ORDERED_MAP]
/** Makes results comparable regardless of order: arrays sorted, KEY_VALUE pairs as an object. */
function norm(type: number, v: unknown): unknown {
  if (!Array.isArray(v)) return v
  if (type === rt.KEY_VALUE) {
    const pairs: Array<[unknown, unknown]> = []
    for (let i = 0; i < v.length; i += 2) pairs.push([v[i], v[i + 1]])
    return Object.fromEntries(pairs.map(([k, x]) => [String(k), x]))
  }
  return [...v].sort()
}
const single = (v: unknown) => (Array.isArray(v) && v.length === 1 ? v[0] : v)

describe('maps module', () => {
  it('has the official client’s functions and constants', () => {
    const official = createRequire(import.meta.url)('aerospike')
    for (const name of Object.keys(official.maps)) {
      if (name !== 'opcodes') expect(typeof (maps as Record<string, unknown>)[name], name).toBe('function' === typeof official.maps[name] ? 'function' : 'object')
    }
    for (const c of ['order', 'writeMode', 'writeFlags', 'returnType'] as const) expect(maps[c], c).toEqual(official.maps[c])
    expect(new aerospike.MapPolicy({ order: 1 }).order).toBe(1)
    expect(aerospike.policy.MapPolicy).toBe(aerospike.MapPolicy)
  })
})

describe('map writes', () => {
  it('put, putItems, increment, decrement report sizes and values', async () => {
    const k = await record({ x: 1 })
    const res = await opsEach(k, 'map', [
      maps.put('map', 'a', 1),
      maps.putItems('map', { b: 2, c: 3 }),
      maps.putItems('map', new Map<unknown, unknown>([[7, 'seven'], [Buffer.from('k'), [1]]])),
      maps.increment('map', 'a', 10),
      maps.decrement('map', 'b', 5),
      maps.increment('map', 'f', 1.5),
      maps.size('map'),
    ])
    expect(res).toEqual([1, 3, 5, 11, -3, 1.5, 6])
    expect((await bins(k)).map).toEqual({ 7: 'seven', a: 11, b: -3, c: 3, f: 1.5, k: [1] })
  })

  it('put of null stores a nil value; clear empties and reports null', async () => {
    const k = await record({ map: { a: 1 } })
    expect(await operate(k, [maps.put('map', 'b', null)])).toEqual({ map: 2 })
    expect((await bins(k)).map).toEqual({ a: 1, b: null })
    expect(await operate(k, [maps.clear('map')])).toEqual({ map: null })
    expect((await bins(k)).map).toEqual({})
  })

  it('write flags and legacy write modes: CREATE_ONLY (24), UPDATE_ONLY (23), NO_FAIL, PARTIAL', async () => {
    const k = await record({ map: { a: 1 } })
    await expectCode(fx.client.operate(k, [maps.put('map', 'a', 2, { writeFlags: maps.writeFlags.CREATE_ONLY })]), status.ERR_FAIL_ELEMENT_EXISTS)
    await expectCode(fx.client.operate(k, [maps.put('map', 'z', 2, { writeFlags: maps.writeFlags.UPDATE_ONLY })]), status.ERR_FAIL_ELEMENT_NOT_FOUND)
    await expectCode(fx.client.operate(k, [maps.put('map', 'z', 2, new maps.MapPolicy({ writeMode: maps.writeMode.UPDATE_ONLY }))]), status.ERR_FAIL_ELEMENT_NOT_FOUND)
    await expectCode(fx.client.operate(k, [maps.put('map', 'a', 2, { writeMode: maps.writeMode.CREATE_ONLY })]), status.ERR_FAIL_ELEMENT_EXISTS)
    const nofail = maps.writeFlags.CREATE_ONLY | maps.writeFlags.NO_FAIL
    expect((await operate(k, [maps.putItems('map', { a: 2, b: 3 }, { writeFlags: nofail })])).map).toBe(1)
    expect((await operate(k, [maps.putItems('map', { a: 2, b: 3 }, { writeFlags: nofail | maps.writeFlags.PARTIAL })])).map).toBe(2)
    expect((await bins(k)).map).toEqual({ a: 1, b: 3 })
    expect((await operate(k, [maps.put('map', 'a', 9, { writeMode: maps.writeMode.UPDATE })])).map).toBe(2)
  })

  it('setPolicy and create order maps by key; key-ordered results keep key order', async () => {
    const k = await record({ map: { z: 1, y: 2, x: 3 } })
    expect(await operate(k, [maps.setPolicy('map', new maps.MapPolicy({ order: maps.order.KEY_ORDERED }))])).toEqual({ map: null })
    const res = await opsEach(k, 'map', [maps.getByIndexRange('map', 0, undefined, rt.ORDERED_MAP), maps.getByIndexRange('map', 0, 2, rt.KEY)])
    const [ordered, keys] = res as [Record<string, number>, string[]]
    expect(Object.keys(ordered)).toEqual(['x', 'y', 'z'])
    expect(keys).toEqual(['x', 'y'])
    expect(Object.keys((await bins(k)).map as object)).toEqual(['x', 'y', 'z'])
    const k2 = await record({ map: {} })
    await operate(k2, [
      maps.create('map', maps.order.KEY_ORDERED, false, new cdt.Context().addMapKey('n')),
      maps.putItems('map', { q: 1, b: 2 }).withContext((ctx) => ctx.addMapKey('n')),
      maps.create('top', maps.order.KEY_VALUE_ORDERED),
      maps.put('top', 'k', 1),
    ])
    expect(await bins(k2)).toEqual({ map: { n: { b: 2, q: 1 } }, top: { k: 1 } })
    expect(Object.keys(((await bins(k2)).map as Record<string, object>).n)).toEqual(['b', 'q'])
  })
})

describe('map selections', () => {
  const cases: Array<[string, (t: number) => aerospike.MapOperation, string[], boolean]> = [
    ['getByKey', (t) => maps.getByKey('map', 'c', t), ['c'], false],
    // Order checked apart, below: indexes follow the key list, elements the map.
    ['getByKeyList', (t) => maps.getByKeyList('map', ['e', 'a', 'zz'], t), ['a', 'e'], true],
    ['getByKeyRange', (t) => maps.getByKeyRange('map', 'b', 'd', t), ['b', 'c'], false],
    ['getByKeyRange open end', (t) => maps.getByKeyRange('map', 'c', null, t), ['c', 'd', 'e'], false],
    ['getByKeyRange open begin', (t) => maps.getByKeyRange('map', null, 'b', t), ['a'], false],
    ['getByKeyRelIndexRange', (t) => maps.getByKeyRelIndexRange('map', 'b', 1, 2, t), ['c', 'd'], false],
    ['getByKeyRelIndexRange no count', (t) => maps.getByKeyRelIndexRange('map', 'bb', 0, undefined, t), ['c', 'd', 'e'], false],
    ['getByValue', (t) => maps.getByValue('map', 3, t), ['c'], true],
    ['getByValueList', (t) => maps.getByValueList('map', [5, 1, 99], t), ['b', 'e'], true],
    ['getByValueRange', (t) => maps.getByValueRange('map', 2, 5, t), keysWhere((_, v) => v >= 2 && v < 5), true],
    ['getByValueRelRankRange', (t) => maps.getByValueRelRankRange('map', 3, 0, 2, t), byRank.filter((k) => M[k] >= 3).slice(0, 2).sort(), true],
    ['getByIndex', (t) => maps.getByIndex('map', -1, t), [KEYS[KEYS.length - 1]], false],
    ['getByIndexRange', (t) => maps.getByIndexRange('map', 1, 3, t), KEYS.slice(1, 4), false],
    ['getByRank', (t) => maps.getByRank('map', 0, t), [byRank[0]], true],
    ['getByRankRange', (t) => maps.getByRankRange('map', -2, undefined, t), byRank.slice(-2).sort(), true],
  ]

  it('getBy* for every return type, plain and INVERTED', async () => {
    const k = await record({ map: M })
    for (const [name, build, sel, rankOrdered] of cases) {
      const singleOp = ['getByKey', 'getByIndex', 'getByRank'].includes(name)
      // A single-item selector cannot be inverted (26).
      if (singleOp) await expectCode(fx.client.operate(k, [build(rt.VALUE | rt.INVERTED)]), status.ERR_OP_NOT_APPLICABLE)
      for (const type of TYPES) {
        // A selection by a key list cannot answer ranks (26, as a real CE 8.0 server answers), so
        // the complement of a single-item selector is not checked for those.
        const keyListRank = singleOp && (type === rt.RANK || type === rt.REVERSE_RANK)
        if (name === 'getByKeyList' && (type === rt.RANK || type === rt.REVERSE_RANK)) {
          await expectCode(fx.client.operate(k, [build(type)]), status.ERR_OP_NOT_APPLICABLE)
          await expectCode(fx.client.operate(k, [build(type | rt.INVERTED)]), status.ERR_OP_NOT_APPLICABLE)
          continue
        }
        if (keyListRank) await expectCode(fx.client.operate(k, [maps.getByKeyList('map', sel, type | rt.INVERTED)]), status.ERR_OP_NOT_APPLICABLE)
        const ops = singleOp ? [build(type), keyListRank ? build(type) : maps.getByKeyList('map', sel, type | rt.INVERTED)] : [build(type), build(type | rt.INVERTED)]
        const res = await opsEach(k, 'map', ops).catch((e) => {
          throw new Error(`${name} type ${type}: ${e}`)
        })
        let want = expected(type, sel)
        // Single-item selectors answer with the item itself, not a one-item list.
        if (singleOp && ([rt.INDEX, rt.REVERSE_INDEX, rt.RANK, rt.REVERSE_RANK, rt.KEY, rt.VALUE] as number[]).includes(type)) want = single(want)
        // A range of indexes is one run for the server: reversed, it still ascends (real CE 8.0).
        const run = /^getBy(KeyRange|KeyRelIndexRange|IndexRange)/.test(name)
        if (run && type === rt.REVERSE_INDEX && Array.isArray(want)) want = [...want].sort((a, b) => a - b)
        const got = rankOrdered || type === rt.KEY_VALUE ? norm(type, res[0]) : res[0]
        expect(got, `${name} type ${type}`).toEqual(rankOrdered || type === rt.KEY_VALUE ? norm(type, want) : want)
        const rest = KEYS.filter((x) => !sel.includes(x))
        // An inverted value selection answers EXISTS by the selection itself, not by what is
        // left (real CE 8.0: false when something was selected).
        const wantInverted = type === rt.EXISTS && /^getByValue(?!List)/.test(name) ? sel.length === 0 : expected(type, rest)
        if (!keyListRank) expect(norm(type, res[1]), `${name} inverted type ${type}`).toEqual(norm(type, wantInverted))
      }
    }
  })

  it('a key list answers indexes in the order of its keys, elements in the order of the map, as a real CE 8.0 server does', async () => {
    const k = await record({ map: M })
    const byKeys = (t: number) => maps.getByKeyList('map', ['e', 'a', 'zz'], t)
    expect(await opsEach(k, 'map', [byKeys(rt.INDEX), byKeys(rt.REVERSE_INDEX), byKeys(rt.KEY), byKeys(rt.VALUE)])).toEqual([[4, 0], [0, 4], ['a', 'e'], [M.a, M.e]])
  })

  it('KEY_VALUE answers are flat [key, value, …] arrays in key order; maps are plain objects', async () => {
    const k = await record({ map: M })
    const res = await opsEach(k, 'map', [maps.getByKeyList('map', ['e', 'a'], rt.KEY_VALUE), maps.getByKey('map', 'zz', rt.KEY_VALUE), maps.getByKeyRange('map', 'a', 'c', rt.UNORDERED_MAP)])
    expect(res).toEqual([['a', M.a, 'e', M.e], [], { a: M.a, b: M.b }])
  })

  it('removeBy* remove what they select and report it; NONE is the default', async () => {
    const removals: Array<[string, (t?: number) => aerospike.MapOperation, string[]]> = [
      ['removeByKey', (t) => maps.removeByKey('map', 'a', t), ['a']],
      ['removeByKeyList', (t) => maps.removeByKeyList('map', ['b', 'e'], t), ['b', 'e']],
      ['removeByKeyRange', (t) => maps.removeByKeyRange('map', 'b', 'e', t), ['b', 'c', 'd']],
      ['removeByKeyRelIndexRange', (t) => maps.removeByKeyRelIndexRange('map', 'c', -1, 2, t), ['b', 'c']],
      ['removeByValue', (t) => maps.removeByValue('map', 5, t), ['e']],
      ['removeByValueList', (t) => maps.removeByValueList('map', [1, 2], t), ['b', 'd']],
      ['removeByValueRange', (t) => maps.removeByValueRange('map', 3, null, t), keysWhere((_, v) => v >= 3)],
      ['removeByValueRelRankRange', (t) => maps.removeByValueRelRankRange('map', 2, 1, undefined, t), byRank.filter((x) => M[x] >= 2).slice(1).sort()],
      ['removeByIndex', (t) => maps.removeByIndex('map', 0, t), [KEYS[0]]],
      ['removeByIndexRange', (t) => maps.removeByIndexRange('map', 3, undefined, t), KEYS.slice(3)],
      ['removeByRank', (t) => maps.removeByRank('map', -1, t), [byRank[byRank.length - 1]]],
      ['removeByRankRange', (t) => maps.removeByRankRange('map', 0, 2, t), byRank.slice(0, 2).sort()],
    ]
    for (const [name, build, sel] of removals) {
      const k = await record({ map: M })
      const res = await operate(k, [build(rt.KEY_VALUE)]).catch((e) => {
        throw new Error(`${name}: ${e}`)
      })
      expect(norm(rt.KEY_VALUE, res.map), name).toEqual(norm(rt.KEY_VALUE, expected(rt.KEY_VALUE, sel)))
      expect((await bins(k)).map, name).toEqual(Object.fromEntries(KEYS.filter((x) => !sel.includes(x)).map((x) => [x, M[x]])))
      const k2 = await record({ map: M })
      expect(await operate(k2, [build()]), `${name} default`).toEqual({ map: null })
      expect(Object.keys((await bins(k2)).map as object).length).toBe(KEYS.length - sel.length)
      const k3 = await record({ map: M })
      if (['removeByKey', 'removeByIndex', 'removeByRank'].includes(name)) {
        await expectCode(fx.client.operate(k3, [build(rt.NONE | rt.INVERTED)]), status.ERR_OP_NOT_APPLICABLE)
        continue
      }
      await operate(k3, [build(rt.NONE | rt.INVERTED)])
      expect(Object.keys((await bins(k3)).map as object).sort(), `${name} inverted`).toEqual(sel)
    }
  })
})

describe('nested maps and values', () => {
  it('contexts: map in list, map in map, by index, rank, key and value', async () => {
    const k = await record({ l: [{ a: 1 }, { b: 2, c: 3 }], m: { x: { y: { z: 1 } }, w: { v: 0 } } })
    const l = await opsEach(k, 'l', [
      maps.put('l', 'n', 9).withContext((ctx) => ctx.addListIndex(0)),
      maps.size('l').withContext((ctx) => ctx.addListRank(-1)),
      maps.getByKey('l', 'c', rt.VALUE).withContext((ctx) => ctx.addListValue({ b: 2, c: 3 })),
    ])
    const m = await opsEach(k, 'm', [
      maps.increment('m', 'z', 4).withContext((ctx) => ctx.addMapKey('x').addMapKey('y')),
      maps.getByIndex('m', 0, rt.KEY).withContext((ctx) => ctx.addMapIndex(1)),
      maps.size('m').withContext((ctx) => ctx.addMapRank(0)),
      maps.size('m').withContext((ctx) => ctx.addMapValue({ v: 0 })),
    ])
    expect({ l, m }).toEqual({ l: [2, 2, 3], m: [5, 'y', 1, 1] })
    expect(await bins(k)).toEqual({ l: [{ a: 1, n: 9 }, { b: 2, c: 3 }], m: { x: { y: { z: 5 } }, w: { v: 0 } } })
  })

  it('create on missing: addMapKeyCreate and a padded addListIndexCreate', async () => {
    const k = await record({ m: {}, l: [] })
    await operate(k, [
      maps.put('m', 'deep', true).withContext((ctx) => ctx.addMapKeyCreate('a', maps.order.KEY_ORDERED).addMapKeyCreate('b')),
      maps.put('l', 'k', 1).withContext((ctx) => ctx.addListIndexCreate(1, lists.order.UNORDERED, true)),
    ])
    expect(await bins(k)).toEqual({ m: { a: { b: { deep: true } } }, l: [null, { k: 1 }] })
    await expectCode(fx.client.operate(k, [maps.put('m', 'q', 1).withContext((ctx) => ctx.addMapKey('missing'))]), status.ERR_OP_NOT_APPLICABLE)
  })

  it('bigints as keys and values, Buffers, lists and maps as values', async () => {
    const big = 2n ** 60n
    const k = await record({ x: 1 })
    const value = { list: [big, -big], buf: Buffer.from([9]), m: new Map([[1, { deep: [big] }]]) }
    await operate(k, [maps.putItems('map', new Map<unknown, unknown>([[big, value], [-1, 'neg'], [2n ** 63n - 1n, 'max']]))])
    const res = await opsEach(k, 'map', [
      maps.getByKey('map', big, rt.VALUE),
      maps.getByKeyRange('map', 0, null, rt.KEY),
      maps.getByValue('map', 'max', rt.KEY),
      maps.increment('map', 'n', 2n ** 62n),
      maps.increment('map', 'n', 2n ** 62n - 1n),
    ])
    expect(res).toEqual([{ list: [big, -big], buf: Buffer.from([9]), m: { 1: { deep: [big] } } }, [big, 2n ** 63n - 1n], [2n ** 63n - 1n], 2n ** 62n, 2n ** 63n - 1n])
  })

  it('with a map operation every op reports (writes and nils as null) and a bin holds its last op’s result, as with the official client', async () => {
    const k = await record({ map: { a: 1 }, n: 1 })
    expect(await operate(k, [op.write('x', 1), op.read('missing'), maps.put('map', 'b', 2), op.incr('n', 1)])).toEqual({ x: null, missing: null, map: 2, n: null })
    expect(await operate(k, [maps.size('nomap')])).toEqual({ nomap: null })
    const ops = () => [maps.put('map', 'c', 3), maps.getByKey('map', 'c', rt.VALUE), op.read('map')]
    const k2 = await record({ map: (await bins(k)).map }) // the same map, for the ops one by one
    expect(await operate(k, ops())).toEqual({ map: { a: 1, b: 2, c: 3 } })
    expect(await opsEach(k2, 'map', ops())).toEqual([3, 3, { a: 1, b: 2, c: 3 }])
  })
})

describe('bad input', () => {
  it('rejects bad arguments with TypeErrors before anything is sent', async () => {
    const k = await record({ map: { a: 1 } })
    const bad: Array<[string, () => aerospike.Operation]> = [
      ['float key', () => maps.put('map', 1.5 as never, 1)],
      ['object key', () => maps.getByKey('map', {} as never)],
      ['null key', () => maps.removeByKey('map', null as never)],
      ['bad key in list', () => maps.getByKeyList('map', ['a', [1] as never])],
      ['keys not an array', () => maps.getByKeyList('map', 'a' as never)],
      ['bad range bound', () => maps.getByKeyRange('map', true as never, null)],
      ['items an array', () => maps.putItems('map', [1, 2] as never)],
      ['items a Map with an object key', () => maps.putItems('map', new Map([[{}, 1]]))],
      ['items with NaN', () => maps.putItems('map', { a: NaN })],
      ['unknown return type', () => maps.getByKey('map', 'a', 9)],
      ['unknown return type bits', () => maps.getByKey('map', 'a', rt.VALUE | 0x20000)],
      ['unknown map order', () => maps.setPolicy('map', { order: 2 })],
      ['unknown write flags', () => maps.put('map', 'a', 1, { writeFlags: 32 })],
      ['unknown write mode', () => maps.put('map', 'a', 1, { writeMode: 3 })],
      ['setPolicy without policy', () => maps.setPolicy('map', undefined as never)],
      ['increment by a string', () => maps.increment('map', 'a', '1' as never)],
      ['decrement by NaN', () => maps.decrement('map', 'a', NaN)],
      ['non-integer index', () => maps.getByIndex('map', 0.5)],
      ['count beyond 64 bits', () => maps.getByRankRange('map', 0, 2n ** 70n as never)],
      ['missing value', () => maps.put('map', 'a', undefined)],
      ['context not a Context', () => Object.assign(maps.size('map'), { context: [] })],
      ['bin name too long', () => maps.size('a_very_long_bin_name')],
    ]
    for (const [name, build] of bad) await expect(fx.client.operate(k, [build()]), name).rejects.toThrow(TypeError)
    expect(() => maps.size('map').withContext('ctx' as never)).toThrow(TypeError)
    expect((await bins(k)).map).toEqual({ a: 1 })
  })

  it('server errors: 12 for map ops on other types, 4 for an increment of a non-numeric value (as a real 8.0 server), 26 out of bounds', async () => {
    const k = await record({ list: [1], s: 'x', map: { a: 'text' } })
    await expectCode(fx.client.operate(k, [maps.put('list', 'a', 1)]), status.ERR_BIN_INCOMPATIBLE_TYPE)
    await expectCode(fx.client.operate(k, [maps.size('s')]), status.ERR_BIN_INCOMPATIBLE_TYPE)
    await expectCode(fx.client.operate(k, [maps.increment('map', 'a', 1)]), status.ERR_REQUEST_INVALID)
    await expectCode(fx.client.operate(k, [maps.getByIndex('map', 5, rt.VALUE)]), status.ERR_OP_NOT_APPLICABLE)
    await expectCode(fx.client.operate(k, [maps.size('list').withContext((ctx) => ctx.addMapKey('a'))]), status.ERR_OP_NOT_APPLICABLE)
  })
})
