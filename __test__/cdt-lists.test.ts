// List operations through operate(): every builder of `lists` against the server, with
// expectations computed from the list semantics (a small JavaScript model of ranks, indexes and
// return types), nested contexts, bigints, several ops on one bin (the bin keeps the last op's
// result; `opsEach` runs ops one by one to check each op's result) and bad input.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { aerospike, expectCode, recordFixture } from './helpers'

const { lists, operations: op, cdt, status } = aerospike
const rt = lists.returnType

const fx = recordFixture('lists')
const { record, operate, bins, opsEach } = fx

// The model: a list of distinct integers, its ranks, and what each return type reports for a
// selection (given as indexes into the list, in index order).
const L = [7, 3, 9, 1, 5, 8]
const sorted = [...L].sort((a, b) => a - b)
function expected(type: number, sel: number[], list = L): unknown {
  const len = list.length
  const srt = [...list].sort((a, b) => a - b)
  switch (type) {
    case rt.INDEX:
      return sel
    case rt.REVERSE_INDEX:
      return sel.map((i) => len - 1 - i)
    case rt.RANK:
      return sel.map((i) => srt.indexOf(list[i]))
    case rt.REVERSE_RANK:
      return sel.map((i) => len - 1 - srt.indexOf(list[i]))
    case rt.COUNT:
      return sel.length
    case rt.VALUE:
      return sel.map((i) => list[i])
    case rt.EXISTS:
      return sel.length > 0
  }
  throw new Error(`no model for ${type}`)
}
const complement = (sel: number[]) => L.map((_, i) => i).filter((i) => !sel.includes(i))
/** Results of rank-ordered selections: compare as sets. */
const sortedIfArray = (v: unknown) => (Array.isArray(v) ? [...v].sort((a, b) => a - b) : v)
const MULTI_TYPES = [rt.INDEX, rt.REVERSE_INDEX, rt.RANK, rt.REVERSE_RANK, rt.COUNT, rt.VALUE, rt.EXISTS]

describe('lists module', () => {
  it('has the official client’s functions and constants', () => {
    const official = createRequire(import.meta.url)('aerospike')
    for (const name of Object.keys(official.lists)) expect(typeof (lists as Record<string, unknown>)[name], name).not.toBe('undefined')
    expect(lists.returnType).toEqual(official.lists.returnType)
    expect(lists.order).toEqual(official.lists.order)
    expect(lists.writeFlags).toEqual(official.lists.writeFlags)
    expect(lists.sortFlags).toMatchObject(official.lists.sortFlags)
    expect(aerospike.cdt.Context).toBeTypeOf('function')
  })
})

describe('list writes', () => {
  it('append, appendItems, insert, insertItems report the new size', async () => {
    const k = await record({ list: [1, 2] })
    const res = await opsEach(k, 'list', [lists.append('list', 3), lists.appendItems('list', [4, 5]), lists.insert('list', 0, 0), lists.insertItems('list', 2, ['a', 'b'])])
    expect(res).toEqual([3, 5, 6, 8])
    expect((await bins(k)).list).toEqual([0, 1, 'a', 'b', 2, 3, 4, 5])
  })

  it('append creates the bin; a policy with ORDERED creates an ordered list', async () => {
    const k = await record({ x: 1 })
    await operate(k, [lists.appendItems('list', [5, 1, 3], new lists.ListPolicy({ order: lists.order.ORDERED }))])
    await operate(k, [lists.append('list', 2)])
    expect((await bins(k)).list).toEqual([1, 2, 3, 5])
  })

  it('write flags: ADD_UNIQUE (24), with NO_FAIL, INSERT_BOUNDED (26)', async () => {
    const k = await record({ list: [1, 2] })
    await expectCode(fx.client.operate(k, [lists.append('list', 1, { writeFlags: lists.writeFlags.ADD_UNIQUE })]), status.ERR_FAIL_ELEMENT_EXISTS)
    const r = await operate(k, [lists.append('list', 1, { writeFlags: lists.writeFlags.ADD_UNIQUE | lists.writeFlags.NO_FAIL })])
    expect(r.list).toBe(2)
    await expectCode(fx.client.operate(k, [lists.insert('list', 5, 9, { writeFlags: lists.writeFlags.INSERT_BOUNDED })]), status.ERR_OP_NOT_APPLICABLE)
    await operate(k, [lists.insert('list', 4, 9)]) // unbounded: pads with nil
    expect((await bins(k)).list).toEqual([1, 2, null, null, 9])
  })

  it('pop, popRange, remove, removeRange, trim', async () => {
    const k = await record({ list: [...L] })
    const res = await opsEach(k, 'list', [lists.pop('list', 0), lists.popRange('list', 0, 2), lists.remove('list', -1), lists.removeRange('list', 0, 1)])
    expect(res).toEqual([L[0], L.slice(1, 3), 1, 1])
    expect((await bins(k)).list).toEqual(L.slice(4, 5))
    const k2 = await record({ list: [...L] })
    expect((await operate(k2, [lists.popRange('list', 3)])).list).toEqual(L.slice(3))
    expect((await operate(k2, [lists.trim('list', 1, 1)])).list).toBe(2)
    expect((await bins(k2)).list).toEqual([L[1]])
    const k3 = await record({ list: [...L] })
    expect((await operate(k3, [lists.removeRange('list', 2)])).list).toBe(L.length - 2)
  })

  it('set replaces; clear empties and reports nothing, like the official client', async () => {
    const k = await record({ list: [1, 2, 3] })
    expect(await operate(k, [lists.set('list', 1, 'two')])).toEqual({})
    expect((await bins(k)).list).toEqual([1, 'two', 3])
    expect(await operate(k, [lists.clear('list')])).toEqual({})
    expect(await opsEach(k, 'list', [lists.size('list'), op.read('list')])).toEqual([0, []])
  })

  it('sort with flags, setOrder keeps the list sorted', async () => {
    const k = await record({ list: [3, 1, 3, 2] })
    await operate(k, [lists.sort('list', lists.sortFlags.DEFAULT)])
    expect((await bins(k)).list).toEqual([1, 2, 3, 3])
    await operate(k, [lists.sort('list', lists.sortFlags.DROP_DUPLICATES)])
    expect((await bins(k)).list).toEqual([1, 2, 3])
    const k2 = await record({ list: [...L] })
    await operate(k2, [lists.setOrder('list', lists.order.ORDERED), lists.append('list', 4)])
    expect((await bins(k2)).list).toEqual([...L, 4].sort((a, b) => a - b))
    await expectCode(fx.client.operate(k2, [lists.insert('list', 0, 100)]), status.ERR_OP_NOT_APPLICABLE) // no positional insert in an ordered list
  })

  it('increment: default 1, a delta, bigints, with a policy', async () => {
    const big = 2n ** 62n
    const k = await record({ list: [1, big, 10] })
    const res = await opsEach(k, 'list', [lists.increment('list', 0), lists.increment('list', 1, big - 1n), lists.increment('list', 2, -4), lists.increment('list', 2, 1, { writeFlags: lists.writeFlags.DEFAULT })])
    expect(res).toEqual([2, 2n * big - 1n, 6, 7])
    expect((await bins(k)).list).toEqual([2, 2n * big - 1n, 7])
    const k2 = await record({ x: 1 })
    expect((await operate(k2, [lists.increment('list', 0, 5, { order: lists.order.ORDERED })])).list).toBe(5)
    // An element of another type: 4, as a real 8.0 server answers (12 is for a bin of another type).
    await expectCode(fx.client.operate(await record({ list: ['s'] }), [lists.increment('list', 0, 1)]), status.ERR_REQUEST_INVALID)
    await expectCode(fx.client.operate(await record({ list: 1 }), [lists.increment('list', 0, 1)]), status.ERR_BIN_INCOMPATIBLE_TYPE)
  })

  it('create: a nested list at a padded index, or a top-level one', async () => {
    const k = await record({ list: [] })
    await operate(k, [lists.create('list', lists.order.UNORDERED, true, false, new cdt.Context().addListIndex(2))])
    expect((await bins(k)).list).toEqual([null, null, []])
    const k2 = await record({ x: 1 })
    await operate(k2, [lists.create('list', lists.order.ORDERED), lists.appendItems('list', [3, 1, 2])])
    expect((await bins(k2)).list).toEqual([1, 2, 3])
  })
})

describe('list reads and selections', () => {
  it('indexes come back in index order whatever selected them, as a real 8.0 server answers', async () => {
    // L = [7, 3, 9, 1, 5, 8]: ranks 1..3 are the values 3, 5, 7 at indexes 1, 4, 0.
    const k = await record({ list: [...L] })
    expect(await opsEach(k, 'list', [lists.getByRankRange('list', 1, 3, rt.INDEX), lists.getByValueRelRankRange('list', 5, 0, 2, rt.INDEX), lists.getByRankRange('list', 1, 3, rt.REVERSE_INDEX)])).toEqual([
      [0, 1, 4],
      [0, 4],
      [5, 4, 1],
    ])
    expect((await operate(k, [lists.removeByRankRange('list', 0, 2, rt.INDEX)])).list).toEqual([1, 3])
  })

  it('get, getRange, size', async () => {
    const k = await record({ list: [...L] })
    const res = await opsEach(k, 'list', [lists.get('list', -1), lists.getRange('list', 1, 2), lists.getRange('list', 4), lists.size('list')])
    expect(res).toEqual([L[L.length - 1], L.slice(1, 3), L.slice(4), L.length])
    await expectCode(fx.client.operate(k, [lists.get('list', L.length)]), status.ERR_OP_NOT_APPLICABLE)
  })

  it('getByIndex / getByRank for every return type', async () => {
    const k = await record({ list: [...L] })
    for (const type of MULTI_TYPES) {
      const res = await opsEach(k, 'list', [lists.getByIndex('list', 2, type), lists.getByRank('list', 0, type)])
      const one = (v: unknown) => (Array.isArray(v) ? v[0] : v)
      expect(res, `type ${type}`).toEqual([one(expected(type, [2])), one(expected(type, [L.indexOf(sorted[0])]))])
    }
  })

  it('range and value selections for every return type, and INVERTED', async () => {
    const k = await record({ list: [...L] })
    // An index range is one run for the server, and so are the ranks of a value or value range
    // (of an unordered list): those come back as runs, ascending even when reversed (a real
    // CE 8.0 server answers [2, 3, 4] for the reverse indexes of indexes 1..3 of 6). An inverted
    // value or rank selection answers EXISTS by the selection itself, not by what is left.
    const runOf = (name: string, t: number) =>
      name.startsWith('getByIndexRange') ? t === rt.REVERSE_INDEX : name.startsWith('getByValue') && !name.startsWith('getByValueList') && (t === rt.RANK || t === rt.REVERSE_RANK)
    const existsInverted = (name: string) => !name.startsWith('getByIndexRange') && !name.startsWith('getByValueList')
    const selections: Array<[string, (t: number) => aerospike.InvertibleListOp, number[], boolean]> = [
      ['getByIndexRange', (t) => lists.getByIndexRange('list', 1, 3, t), [1, 2, 3], false],
      ['getByIndexRange to end', (t) => lists.getByIndexRange('list', -2, undefined, t), [4, 5], false],
      ['getByValue', (t) => lists.getByValue('list', 9, t), [2], false],
      ['getByValueList', (t) => lists.getByValueList('list', [1, 8, 100], t), [3, 5], false],
      ['getByValueRange', (t) => lists.getByValueRange('list', 3, 8, t), L.map((v, i) => (v >= 3 && v < 8 ? i : -1)).filter((i) => i >= 0), false],
      ['getByValueRange open end', (t) => lists.getByValueRange('list', 7, null, t), L.map((v, i) => (v >= 7 ? i : -1)).filter((i) => i >= 0), false],
      ['getByValueRange open begin', (t) => lists.getByValueRange('list', null, 5, t), L.map((v, i) => (v < 5 ? i : -1)).filter((i) => i >= 0), false],
      ['getByRankRange', (t) => lists.getByRankRange('list', 1, 2, t), [sorted[1], sorted[2]].map((v) => L.indexOf(v)).sort(), true],
      ['getByValueRelRankRange', (t) => lists.getByValueRelRankRange('list', 5, 1, 2, t), sorted.filter((v) => v >= 5).slice(1, 3).map((v) => L.indexOf(v)).sort(), true],
      ['getByValueRelRankRange no count', (t) => lists.getByValueRelRankRange('list', 4, 0, undefined, t), sorted.filter((v) => v >= 4).map((v) => L.indexOf(v)).sort(), true],
    ]
    for (const [name, build, sel, byRank] of selections) {
      for (const type of MULTI_TYPES) {
        const [plain, inverted, none] = await opsEach(k, 'list', [build(type), build(type).invertSelection(), lists.getByIndexRange('list', 0, undefined, type | rt.INVERTED)])
        const norm = byRank ? sortedIfArray : (v: unknown) => v
        const want = runOf(name, type) ? sortedIfArray(expected(type, sel)) : norm(expected(type, sel))
        expect(norm(plain), `${name} type ${type}`).toEqual(want)
        const wantInverted = type === rt.EXISTS && existsInverted(name) ? sel.length === 0 : expected(type, complement(sel))
        expect(sortedIfArray(inverted), `${name} inverted type ${type}`).toEqual(sortedIfArray(wantInverted))
        expect(none, `empty selection type ${type}`).toEqual(expected(type, []))
      }
    }
  })

  it('NONE returns nothing; removeBy* default to NONE', async () => {
    const k = await record({ list: [...L] })
    expect(await operate(k, [lists.getByValue('list', 9, rt.NONE), lists.removeByValue('list', 9)])).toEqual({})
    expect((await bins(k)).list).toEqual(L.filter((v) => v !== 9))
  })

  it('removeBy* remove what they select and report it', async () => {
    const cases: Array<[string, (t: number) => aerospike.ListOperation, number[]]> = [
      ['removeByIndex', (t) => lists.removeByIndex('list', 1, t), [1]],
      ['removeByIndexRange', (t) => lists.removeByIndexRange('list', 2, 2, t), [2, 3]],
      ['removeByValue', (t) => lists.removeByValue('list', 5, t), [4]],
      ['removeByValueList', (t) => lists.removeByValueList('list', [7, 1], t), [0, 3]],
      ['removeByValueRange', (t) => lists.removeByValueRange('list', 5, 9, t), [0, 4, 5]],
      ['removeByValueRelRankRange', (t) => lists.removeByValueRelRankRange('list', 8, 0, 1, t), [5]],
      ['removeByRank', (t) => lists.removeByRank('list', -1, t), [2]],
      ['removeByRankRange', (t) => lists.removeByRankRange('list', 0, 2, t), [3, 1]],
    ]
    for (const [name, build, sel] of cases) {
      for (const type of [rt.VALUE, rt.COUNT, rt.INDEX]) {
        const k = await record({ list: [...L] })
        const res = (await operate(k, [build(type)])).list
        const single = name === 'removeByIndex' || name === 'removeByRank'
        const exp = expected(type, [...sel].sort((a, b) => a - b))
        expect(sortedIfArray(res), `${name} ${type}`).toEqual(sortedIfArray(single && Array.isArray(exp) ? exp[0] : exp))
        expect((await bins(k)).list, name).toEqual(L.filter((_, i) => !sel.includes(i)))
      }
    }
    const k = await record({ list: [...L] })
    await operate(k, [lists.removeByValue('list', 5).invertSelection()])
    expect((await bins(k)).list).toEqual([5])
  })

  it('andReturn sets the return type', async () => {
    const k = await record({ list: [...L] })
    expect((await operate(k, [lists.getByValueRange('list', 3, 8).andReturn(rt.COUNT)])).list).toBe(L.filter((v) => v >= 3 && v < 8).length)
  })
})

describe('nested lists and values', () => {
  it('contexts: list in list, list in map, by index, rank, value and key', async () => {
    const k = await record({ l: [[3, 1], [2, 9, 4]], m: { a: [1, 2], b: { c: [5] } } })
    const l = await opsEach(k, 'l', [
      lists.append('l', 7).withContext((ctx) => ctx.addListIndex(-1)),
      lists.size('l').withContext(new cdt.Context().addListRank(0)),
      lists.getByRank('l', -1, rt.VALUE).withContext((ctx) => ctx.addListValue([3, 1])),
    ])
    const m = await opsEach(k, 'm', [
      lists.insert('m', 0, 0).withContext((ctx) => ctx.addMapKey('a')),
      lists.append('m', 6).withContext((ctx) => ctx.addMapKey('b').addMapKey('c')),
      lists.get('m', 0).withContext((ctx) => ctx.addMapIndex(0)),
      lists.size('m').withContext((ctx) => ctx.addMapRank(0)),
      lists.size('m').withContext((ctx) => ctx.addMapValue([0, 1, 2])),
    ])
    // `[2, 9, 4]` ranks above `[3, 1]` only after the append: lists compare element-wise.
    expect(l).toEqual([4, 4, 3])
    expect(m).toEqual([3, 2, 0, 3, 3])
    expect(await bins(k)).toEqual({ l: [[3, 1], [2, 9, 4, 7]], m: { a: [0, 1, 2], b: { c: [5, 6] } } })
  })

  it('create on missing: addListIndexCreate (padded) and addMapKeyCreate', async () => {
    const k = await record({ l: [], m: {} })
    await operate(k, [
      lists.append('l', 'x').withContext((ctx) => ctx.addListIndexCreate(2, lists.order.UNORDERED, true)),
      lists.appendItems('m', [3, 1, 2]).withContext((ctx) => ctx.addMapKeyCreate('new').addListIndexCreate(0)),
    ])
    expect(await bins(k)).toEqual({ l: [null, null, ['x']], m: { new: [[3, 1, 2]] } })
    await expectCode(fx.client.operate(k, [lists.append('m', 1).withContext((ctx) => ctx.addMapKey('missing'))]), status.ERR_OP_NOT_APPLICABLE)
    await expectCode(fx.client.operate(k, [lists.append('m', 1).withContext((ctx) => ctx.addListIndex(0))]), status.ERR_OP_NOT_APPLICABLE)
  })

  it('bigints, Buffers, maps and nested lists inside lists', async () => {
    const big = -(2n ** 63n)
    const k = await record({ x: 1 })
    const items = [big, 2n ** 63n - 1n, 2 ** 53 - 1, Buffer.from([1, 2]), { a: [1, { b: 2n ** 60n }] }, new Map([[1, 'one']]), [[]], 1.5, true, null]
    await operate(k, [lists.appendItems('list', items)])
    const back = (await bins(k)).list as unknown[]
    expect(back).toEqual([big, 2n ** 63n - 1n, 2 ** 53 - 1, Buffer.from([1, 2]), { a: [1, { b: 2n ** 60n }] }, { 1: 'one' }, [[]], 1.5, true, null])
    const res = await opsEach(k, 'list', [
      lists.getByValue('list', big, rt.INDEX),
      lists.getByValueList('list', [2n ** 63n - 1n, Buffer.from([1, 2])], rt.COUNT),
      lists.getByRank('list', 1, rt.VALUE),
      lists.getByRank('list', 2, rt.VALUE),
      lists.getByRank('list', -2, rt.VALUE),
      lists.getByRank('list', -1, rt.VALUE),
      lists.getByRank('list', 0, rt.VALUE), // nil: left out of the answer, as by the official client
    ])
    // Cross-type order: nil < bool < int < string < list < map < bytes < float. The nil answer,
    // left out of the old array of results, is here the op's own call answering no bin: undefined.
    expect(res).toEqual([[0], 2, true, big, Buffer.from([1, 2]), 1.5, undefined])
  })

  it('several ops on one bin: the bin holds the last op’s result, as with the official client', async () => {
    const ops = () => [lists.append('list', 2), op.read('list'), lists.append('list', 3), lists.size('list'), op.write('other', 1)]
    const k = await record({ list: [1] })
    expect(await operate(k, ops())).toEqual({ list: 3 }) // no map op: the write answers nothing
    expect(await bins(k)).toEqual({ list: [1, 2, 3], other: 1 })
    const k2 = await record({ list: [1] })
    expect(await opsEach(k2, 'list', ops())).toEqual([2, [1, 2], 3, 3, undefined]) // the write answers no `list`
    expect(await bins(k2)).toEqual({ list: [1, 2, 3], other: 1 })
  })

  it('lists work in batchWrite rows', async () => {
    const k1 = await record({ list: [1] })
    const k2 = await record({ list: [5, 6] })
    const rows = await fx.client.batchWrite([k1, k2].map((key) => ({ type: aerospike.batchType.BATCH_WRITE, key, ops: [lists.append('list', 9)] })))
    expect(rows.map((r) => r.status)).toEqual([0, 0])
    expect((await bins(k1)).list).toEqual([1, 9])
    expect((await bins(k2)).list).toEqual([5, 6, 9])
  })
})

describe('bad input', () => {
  it('builders and encoding reject bad arguments with TypeErrors', async () => {
    const k = await record({ list: [1] })
    const bad: Array<[string, () => aerospike.Operation]> = [
      ['non-integer index', () => lists.get('list', 1.5)],
      ['string index', () => lists.get('list', '1' as never)],
      ['bigint index out of range', () => lists.get('list', 2n ** 64n as never)],
      ['unknown return type', () => lists.getByIndex('list', 0, 6)],
      ['unknown return type (huge)', () => lists.getByIndex('list', 0, 2 ** 40)],
      ['unknown sort flags', () => lists.sort('list', 8)],
      ['unknown list order', () => lists.setOrder('list', 2)],
      ['unknown write flags', () => lists.append('list', 1, { writeFlags: 16 })],
      ['policy not an object', () => lists.append('list', 1, 5 as never)],
      ['items not an array', () => lists.appendItems('list', 'abc' as never)],
      ['missing value', () => lists.append('list', undefined)],
      ['unstorable value', () => lists.append('list', Symbol('s'))],
      ['NaN inside a value', () => lists.append('list', [NaN])],
      ['set to null', () => lists.set('list', 0, null)],
      ['float increment', () => lists.increment('list', 0, 1.5)],
      ['increment with write flags and delta 2', () => lists.increment('list', 0, 2, { writeFlags: lists.writeFlags.INSERT_BOUNDED })],
      ['context not a Context', () => Object.assign(lists.size('list'), { context: { items: [] } })],
      ['context with a bad level', () => Object.assign(lists.size('list'), { context: Object.assign(new cdt.Context(), { items: [[0x99, 1]] }) })],
      ['context position not an integer', () => Object.assign(lists.size('list'), { context: Object.assign(new cdt.Context(), { items: [[0x10, 'a']] }) })],
      ['empty bin name', () => lists.size('')],
    ]
    for (const [name, build] of bad) {
      await expect(fx.client.operate(k, [build()]), name).rejects.toThrow(TypeError)
    }
    expect((await bins(k)).list).toEqual([1])
  })

  it('throws synchronously for bad contexts and inversions', () => {
    expect(() => lists.size('list').withContext(42 as never)).toThrow(TypeError)
    expect(() => lists.size('list').withContext({} as never)).toThrow(TypeError)
    expect(() => lists.get('list', 0).invertSelection()).toThrow(aerospike.AerospikeError)
    expect(() => lists.size('list').invertSelection()).toThrow('List operation cannot be inverted')
    expect(() => new cdt.Context().addListIndex(1.5)).toThrow(TypeError)
    expect(() => new cdt.Context().addListIndex(2 ** 31)).toThrow(TypeError)
    expect(() => new cdt.Context().addListRank('0' as never)).toThrow(TypeError)
    expect(() => new cdt.Context().addMapKeyCreate('k', 2)).toThrow(TypeError)
    expect(() => new cdt.Context().addListIndexCreate(0, 5)).toThrow(TypeError)
  })

  it('server errors: 12 for a list op on another type, 26 out of bounds', async () => {
    const k = await record({ m: { a: 1 }, s: 'str', list: [1] })
    await expectCode(fx.client.operate(k, [lists.append('m', 1)]), status.ERR_BIN_INCOMPATIBLE_TYPE)
    await expectCode(fx.client.operate(k, [lists.size('s')]), status.ERR_BIN_INCOMPATIBLE_TYPE)
    await expectCode(fx.client.operate(k, [lists.pop('list', 3)]), status.ERR_OP_NOT_APPLICABLE)
    await expectCode(fx.client.operate(k, [lists.set('list', 0, 2), lists.append('m', 1)]), status.ERR_BIN_INCOMPATIBLE_TYPE)
    expect(await bins(k)).toEqual({ m: { a: 1 }, s: 'str', list: [1] }) // atomic: nothing applied
  })
})
