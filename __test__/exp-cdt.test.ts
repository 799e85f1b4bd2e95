// List, map, bit and HyperLogLog expressions (`exp.lists`, `exp.maps`, `exp.bit`, `exp.hll`)
// evaluated by the server through expression reads, writes and filters. Expectations come from
// a JavaScript model of each selection on the record's data.
import { describe, expect, it } from 'vitest'
import { aerospike, expectCode, filterPasses, recordFixture } from './helpers'

const { exp, status, lists, maps, bitwise } = aerospike
const Context = aerospike.cdt.Context
type Exp = aerospike.AerospikeExp

const fx = recordFixture('expcdt')
const record = fx.record
const bins = fx.bins
/** The value of one expression on the record (an expression read). */
async function value(k: aerospike.Key, e: Exp): Promise<unknown> {
  return ((await fx.client.operate(k, [exp.operations.read('r', e)])) as aerospike.AerospikeRecord).bins.r
}
/** Sorted, for selections by rank (whose results come in rank order). */
class AnyOrder {
  constructor(readonly values: number[]) {}
}
const anyOrder = (values: number[]) => new AnyOrder(values)
const sorted = (v: number[]) => [...v].sort((a, b) => a - b)
/** Checks each `[name, expression, expected]` on the record. */
async function check(k: aerospike.Key, cases: Array<[string, Exp, unknown]>): Promise<void> {
  for (const [name, e, want] of cases) {
    const got = await value(k, e)
    if (want instanceof AnyOrder) expect(sorted(got as number[]), name).toEqual(sorted(want.values))
    else expect(got, name).toEqual(want)
  }
}
const passes = (k: aerospike.Key, filterExpression: Exp) => filterPasses(fx.client, k, filterExpression)

describe('exp.lists', () => {
  const L = [5, 1, 4, 1, 3, 9]
  const rt = lists.returnType
  const l = () => exp.binList('l')
  const i = exp.int
  /** Elements of L (in list order) whose value satisfies `f`. */
  const where = (f: (v: number) => boolean) => L.filter(f)
  /** L's values in rank order, ties in list order. */
  const byRank = L.map((v, idx) => ({ v, idx })).sort((a, b) => a.v - b.v || a.idx - b.idx)
  const indexOfRank = (r: number) => byRank[(r + L.length) % L.length].idx

  it('reads: size, by value, value range, value list, relative rank, index, rank', async () => {
    const k = await record({ l: L })
    await check(k, [
      ['size', exp.lists.size(l()), L.length],
      ['byValue INDEX', exp.lists.getByValue(l(), i(1), rt.INDEX), [1, 3]],
      ['byValue COUNT', exp.lists.getByValue(l(), i(1), rt.COUNT), 2],
      ['byValue EXISTS', exp.lists.getByValue(l(), i(7), rt.EXISTS), false],
      ['byValue INVERTED COUNT', exp.lists.getByValue(l(), i(1), rt.COUNT | rt.INVERTED), L.length - 2],
      ['byValueRange', exp.lists.getByValueRange(l(), i(3), i(6), rt.VALUE), where((v) => v >= 3 && v < 6)],
      ['byValueRange to inf', exp.lists.getByValueRange(l(), i(4), exp.inf(), rt.VALUE), where((v) => v >= 4)],
      ['byValueRange open end', exp.lists.getByValueRange(l(), i(4), null, rt.COUNT), where((v) => v >= 4).length],
      ['byValueList', exp.lists.getByValueList(l(), exp.list([1, 9]), rt.INDEX), [1, 3, 5]],
      ['relRankToEnd', exp.lists.getByRelRankRangeToEnd(l(), i(4), i(0), rt.VALUE), anyOrder(where((v) => v >= 4))],
      ['relRank', exp.lists.getByRelRankRange(l(), i(4), i(-1), i(2), rt.VALUE), anyOrder(where((v) => v === 3 || v === 4))],
      ['byIndex', exp.lists.getByIndex(l(), i(2), exp.type.INT, rt.VALUE), L[2]],
      ['byIndex -1', exp.lists.getByIndex(l(), i(-1), exp.type.INT, rt.VALUE), L[L.length - 1]],
      ['byIndex RANK', exp.lists.getByIndex(l(), i(0), exp.type.AUTO, rt.RANK), byRank.findIndex((e) => e.idx === 0)],
      ['indexRangeToEnd', exp.lists.getByIndexRangeToEnd(l(), i(4), rt.VALUE), L.slice(4)],
      ['indexRange', exp.lists.getByIndexRange(l(), i(1), i(2), rt.VALUE), L.slice(1, 3)],
      ['byRank', exp.lists.getByRank(l(), i(0), exp.type.INT, rt.VALUE), byRank[0].v],
      ['byRank -1', exp.lists.getByRank(l(), i(-1), exp.type.INT, rt.VALUE), byRank[L.length - 1].v],
      ['byRank INDEX', exp.lists.getByRank(l(), i(1), exp.type.AUTO, rt.INDEX), indexOfRank(1)],
      ['rankRangeToEnd', exp.lists.getByRankRangeToEnd(l(), i(4), rt.VALUE), anyOrder(where((v) => v >= 5))],
      ['rankRange', exp.lists.getByRankRange(l(), i(0), i(3), rt.VALUE), anyOrder(where((v) => v <= 3))],
    ])
    expect(await passes(k, exp.gt(exp.lists.size(l()), i(5)))).toBe(true)
    expect(await passes(k, exp.eq(exp.lists.getByIndex(l(), i(0), exp.type.INT, rt.VALUE), i(6)))).toBe(false)
  })

  it('modifies answer the modified list without changing the record', async () => {
    const k = await record({ l: L })
    const without = (...drop: number[]) => L.filter((_, idx) => !drop.includes(idx))
    await check(k, [
      ['append', exp.lists.append(l(), i(7)), [...L, 7]],
      ['appendItems', exp.lists.appendItems(l(), exp.list([7, 8])), [...L, 7, 8]],
      ['insert', exp.lists.insert(l(), i(0), i(1)), [5, 0, ...L.slice(1)]],
      ['insertItems', exp.lists.insertItems(l(), exp.list([0, 0]), i(0)), [0, 0, ...L]],
      ['increment', exp.lists.increment(l(), i(10), i(0)), [15, ...L.slice(1)]],
      ['set', exp.lists.set(l(), i(0), i(-1)), [...L.slice(0, -1), 0]],
      ['clear', exp.lists.clear(l()), []],
      ['sort', exp.lists.sort(l(), lists.sortFlags.DEFAULT), [...L].sort((a, b) => a - b)],
      ['sort desc', exp.lists.sort(l(), lists.sortFlags.DESCENDING), [...L].sort((a, b) => b - a)],
      ['sort dedupe', exp.lists.sort(l(), lists.sortFlags.DROP_DUPLICATES), [...new Set(L)].sort((a, b) => a - b)],
      ['removeByValue', exp.lists.removeByValue(l(), i(1)), where((v) => v !== 1)],
      ['removeByValue inverted', exp.lists.removeByValue(l(), i(1), null, rt.INVERTED), where((v) => v === 1)],
      ['removeByValueList', exp.lists.removeByValueList(l(), exp.list([1, 9])), where((v) => v !== 1 && v !== 9)],
      ['removeByValueRange', exp.lists.removeByValueRange(l(), i(5), i(3)), where((v) => v < 3 || v >= 5)],
      ['removeByRelRankRangeToEnd', exp.lists.removeByRelRankRangeToEnd(l(), i(0), i(4)), where((v) => v < 4)],
      ['removeByRelRankRange', exp.lists.removeByRelRankRange(l(), i(1), i(0), i(4)), where((v) => v !== 4)],
      ['removeByIndex', exp.lists.removeByIndex(l(), i(0)), without(0)],
      ['removeByIndexRangeToEnd', exp.lists.removeByIndexRangeToEnd(l(), i(4)), L.slice(0, 4)],
      ['removeByIndexRange', exp.lists.removeByIndexRange(l(), i(2), i(1)), without(1, 2)],
      ['removeByRank', exp.lists.removeByRank(l(), i(-1)), without(indexOfRank(-1))],
      ['removeByRankRangeToEnd', exp.lists.removeByRankRangeToEnd(l(), i(4)), without(indexOfRank(4), indexOfRank(5))],
      ['removeByRankRange', exp.lists.removeByRankRange(l(), i(2), i(0)), without(indexOfRank(0), indexOfRank(1))],
    ])
    expect(await bins(k)).toEqual({ l: L })
  })

  it('an expression write stores the modified list; policies apply their write flags', async () => {
    // A list operation that fails inside an expression fails the expression: 26.
    const k = await record({ l: [1, 2] })
    await fx.client.operate(k, [exp.operations.write('l', exp.lists.append(exp.binList('l'), exp.int(3)))])
    expect((await bins(k)).l).toEqual([1, 2, 3])
    const unique = new lists.ListPolicy({ writeFlags: lists.writeFlags.ADD_UNIQUE })
    await expectCode(fx.client.operate(k, [exp.operations.write('l', exp.lists.append(exp.binList('l'), exp.int(3), unique))]), status.ERR_OP_NOT_APPLICABLE)
    expect(await value(k, exp.lists.append(exp.binList('l'), exp.int(4), unique))).toEqual([1, 2, 3, 4])
    const noFail = { writeFlags: lists.writeFlags.ADD_UNIQUE | lists.writeFlags.NO_FAIL }
    await fx.client.operate(k, [exp.operations.write('l', exp.lists.appendItems(exp.binList('l'), exp.list([3, 4]), noFail))])
    expect((await bins(k)).l).toEqual([1, 2, 3])
    const bounded = { writeFlags: lists.writeFlags.INSERT_BOUNDED }
    await expectCode(fx.client.operate(k, [exp.operations.read('r', exp.lists.insert(exp.binList('l'), exp.int(9), exp.int(10), bounded))]), status.ERR_OP_NOT_APPLICABLE)
    expect(await value(k, exp.lists.insert(exp.binList('l'), exp.int(9), exp.int(4)))).toEqual([1, 2, 3, null, 9])
    // The policy's order applies when the operation creates the list: on a nil operand.
    const k2 = await record({ x: 1 })
    await fx.client.operate(k2, [exp.operations.write('l', exp.lists.appendItems(exp.nil(), exp.list([3, 1, 2]), { order: lists.order.ORDERED }))])
    expect((await bins(k2)).l).toEqual([1, 2, 3])
    expect(await value(k2, exp.lists.appendItems(exp.nil(), exp.list([3, 1, 2])))).toEqual([3, 1, 2])
  })

  it('contexts reach lists nested in maps and lists; modifies answer the whole bin', async () => {
    const k = await record({ nested: { a: [3, 1, 2], b: { c: [1] } }, ll: [[1, 2], [3, 4, 5]] })
    const m = () => exp.binMap('nested')
    const ll = () => exp.binList('ll')
    await check(k, [
      ['size in map', exp.lists.size(m(), new Context().addMapKey('a')), 3],
      ['size two deep', exp.lists.size(m(), new Context().addMapKey('b').addMapKey('c')), 1],
      ['byIndex in map', exp.lists.getByIndex(m(), exp.int(0), exp.type.INT, lists.returnType.VALUE, new Context().addMapKey('a')), 3],
      ['size in list', exp.lists.size(ll(), new Context().addListIndex(-1)), 3],
      ['append in map', exp.lists.append(m(), exp.int(4), null, new Context().addMapKey('a')), { a: [3, 1, 2, 4], b: { c: [1] } }],
      ['append in list', exp.lists.append(ll(), exp.int(6), null, new Context().addListIndex(0)), [[1, 2, 6], [3, 4, 5]]],
      ['map size in map', exp.maps.size(m(), new Context().addMapKey('b')), 1],
    ])
    await fx.client.operate(k, [exp.operations.write('nested', exp.lists.sort(m(), 0, new Context().addMapKey('a')))])
    expect((await bins(k)).nested).toEqual({ a: [1, 2, 3], b: { c: [1] } })
    // A context that does not fit the data fails the expression.
    await expectCode(fx.client.operate(k, [exp.operations.read('r', exp.lists.size(m(), new Context().addMapKey('zz')))]), status.ERR_OP_NOT_APPLICABLE)
  })
})

describe('exp.maps', () => {
  const M: Record<string, number> = { a: 1, b: 2, c: 3, d: 2 }
  const rt = maps.returnType
  const m = () => exp.binMap('m')
  const s = exp.str
  const i = exp.int
  const keys = Object.keys(M).sort()
  /** Keys whose value satisfies `f`, in key order. */
  const keysWhere = (f: (v: number, k: string) => boolean) => keys.filter((k) => f(M[k], k))
  const pick = (ks: string[]) => Object.fromEntries(ks.map((k) => [k, M[k]]))
  const omit = (f: (v: number, k: string) => boolean) => pick(keysWhere((v, k) => !f(v, k)))
  /** Keys in value-rank order (ties by key). */
  const byRank = [...keys].sort((x, y) => M[x] - M[y] || (x < y ? -1 : 1))

  it('reads: size, by key, key range, key list, relative index, value, value range, index, rank', async () => {
    const k = await record({ m: M })
    await check(k, [
      ['size', exp.maps.size(m()), keys.length],
      ['byKey', exp.maps.getByKey(m(), s('b'), exp.type.INT, rt.VALUE), M.b],
      // KEY_VALUE answers come back as a flat [key, value, …] list, as from the official client.
      ['byKey KEY_VALUE', exp.maps.getByKey(m(), s('b'), exp.type.AUTO, rt.KEY_VALUE), ['b', 2]],
      ['byKey ORDERED_MAP', exp.maps.getByKey(m(), s('b'), exp.type.AUTO, rt.ORDERED_MAP), { b: 2 }],
      ['byKey EXISTS', exp.maps.getByKey(m(), s('z'), exp.type.AUTO, rt.EXISTS), false],
      ['byKeyRange', exp.maps.getByKeyRange(m(), s('c'), s('a'), rt.KEY), keysWhere((_, key) => key >= 'a' && key < 'c')],
      ['byKeyRange open', exp.maps.getByKeyRange(m(), null, s('b'), rt.COUNT), keysWhere((_, key) => key >= 'b').length],
      ['byKeyList', exp.maps.getByKeyList(m(), exp.list(['a', 'd']), rt.VALUE), [M.a, M.d]],
      ['keyRelIndexToEnd', exp.maps.getByKeyRelIndexRangeToEnd(m(), i(1), s('b'), rt.KEY), keys.slice(keys.indexOf('b') + 1)],
      ['keyRelIndex', exp.maps.getByKeyRelIndexRange(m(), i(1), i(0), s('b'), rt.KEY), ['b']],
      ['byValue', exp.maps.getByValue(m(), i(2), rt.KEY), keysWhere((v) => v === 2)],
      ['byValue UNORDERED_MAP', exp.maps.getByValue(m(), i(2), rt.UNORDERED_MAP), pick(keysWhere((v) => v === 2))],
      ['byValueRange', exp.maps.getByValueRange(m(), i(3), i(2), rt.KEY), keysWhere((v) => v >= 2 && v < 3)],
      ['byValueList', exp.maps.getByValueList(m(), exp.list([1, 3]), rt.KEY), keysWhere((v) => v === 1 || v === 3)],
      ['valueRelRankToEnd', exp.maps.getByValueRelRankRangeToEnd(m(), i(1), i(2), rt.COUNT), byRank.length - (byRank.findIndex((key) => M[key] === 2) + 1)],
      ['valueRelRank', exp.maps.getByValueRelRankRange(m(), i(1), i(0), i(3), rt.KEY), ['c']],
      ['byIndex', exp.maps.getByIndex(m(), i(0), exp.type.INT, rt.VALUE), M[keys[0]]],
      ['byIndex -1 KEY', exp.maps.getByIndex(m(), i(-1), exp.type.STR, rt.KEY), keys[keys.length - 1]],
      ['indexRangeToEnd', exp.maps.getByIndexRangeToEnd(m(), i(2), rt.KEY), keys.slice(2)],
      ['indexRange', exp.maps.getByIndexRange(m(), i(2), i(0), rt.VALUE), keys.slice(0, 2).map((key) => M[key])],
      ['byRank', exp.maps.getByRank(m(), i(0), exp.type.STR, rt.KEY), byRank[0]],
      ['byRank -1', exp.maps.getByRank(m(), i(-1), exp.type.INT, rt.VALUE), M[byRank[byRank.length - 1]]],
      ['rankRangeToEnd', exp.maps.getByRankRangeToEnd(m(), i(3), rt.KEY), byRank.slice(3)],
      ['rankRange', exp.maps.getByRankRange(m(), i(1), i(0), rt.KEY), byRank.slice(0, 1)],
    ])
    expect(await passes(k, exp.eq(exp.maps.getByKey(m(), s('c'), exp.type.INT, rt.VALUE), i(3)))).toBe(true)
    expect(await passes(k, exp.gt(exp.maps.size(m()), i(4)))).toBe(false)
  })

  it('modifies answer the modified map without changing the record', async () => {
    const k = await record({ m: M })
    await check(k, [
      ['put', exp.maps.put(m(), i(9), s('e')), { ...M, e: 9 }],
      ['putItems', exp.maps.putItems(m(), exp.map({ e: 5, a: 0 })), { ...M, a: 0, e: 5 }],
      ['increment', exp.maps.increment(m(), i(10), s('a')), { ...M, a: 11 }],
      ['clear', exp.maps.clear(m()), {}],
      ['removeByKey', exp.maps.removeByKey(m(), s('a')), omit((_, key) => key === 'a')],
      ['removeByKeyList inverted', exp.maps.removeByKeyList(m(), exp.list(['a']), null, rt.INVERTED), pick(['a'])],
      ['removeByKeyList', exp.maps.removeByKeyList(m(), exp.list(['a', 'b'])), omit((_, key) => key === 'a' || key === 'b')],
      ['removeByKeyRange', exp.maps.removeByKeyRange(m(), s('c'), s('b')), omit((_, key) => key >= 'b' && key < 'c')],
      ['removeByKeyRelIndexRangeToEnd', exp.maps.removeByKeyRelIndexRangeToEnd(m(), i(1), s('b')), omit((_, key) => key > 'b')],
      ['removeByKeyRelIndexRange', exp.maps.removeByKeyRelIndexRange(m(), i(1), i(0), s('c')), omit((_, key) => key === 'c')],
      ['removeByValue', exp.maps.removeByValue(m(), i(2)), omit((v) => v === 2)],
      ['removeByValueList', exp.maps.removeByValueList(m(), exp.list([1, 3])), omit((v) => v === 1 || v === 3)],
      ['removeByValueRange', exp.maps.removeByValueRange(m(), i(3), i(2)), omit((v) => v >= 2 && v < 3)],
      ['removeByValueRelRankRangeToEnd', exp.maps.removeByValueRelRankRangeToEnd(m(), i(0), i(2)), omit((v) => v >= 2)],
      ['removeByValueRelRankRange', exp.maps.removeByValueRelRankRange(m(), i(1), i(0), i(3)), omit((v) => v === 3)],
      ['removeByIndex', exp.maps.removeByIndex(m(), i(0)), omit((_, key) => key === keys[0])],
      ['removeByIndexRangeToEnd', exp.maps.removeByIndexRangeToEnd(m(), i(2)), pick(keys.slice(0, 2))],
      ['removeByIndexRange', exp.maps.removeByIndexRange(m(), i(2), i(1)), omit((_, key) => keys.slice(1, 3).includes(key))],
      ['removeByRank', exp.maps.removeByRank(m(), i(-1)), omit((_, key) => key === byRank[byRank.length - 1])],
      ['removeByRankRangeToEnd', exp.maps.removeByRankRangeToEnd(m(), i(1)), pick(byRank.slice(0, 1))],
      ['removeByRankRange', exp.maps.removeByRankRange(m(), i(1), i(0)), omit((_, key) => key === byRank[0])],
    ])
    expect(await bins(k)).toEqual({ m: M })
  })

  it('policies: write flags, legacy write modes and map order', async () => {
    const k = await record({ m: M })
    // A map operation that fails inside an expression fails the expression: 26.
    const put = (key: string, v: number, p: object) => value(k, exp.maps.put(m(), i(v), s(key), p))
    await expectCode(put('a', 9, { writeFlags: maps.writeFlags.CREATE_ONLY }), status.ERR_OP_NOT_APPLICABLE)
    await expectCode(put('z', 9, { writeFlags: maps.writeFlags.UPDATE_ONLY }), status.ERR_OP_NOT_APPLICABLE)
    await expectCode(put('a', 9, { writeMode: maps.writeMode.CREATE_ONLY }), status.ERR_OP_NOT_APPLICABLE)
    await expectCode(put('z', 9, { writeMode: maps.writeMode.UPDATE_ONLY }), status.ERR_OP_NOT_APPLICABLE)
    expect(await put('z', 9, { writeFlags: maps.writeFlags.CREATE_ONLY })).toEqual({ ...M, z: 9 })
    expect(await put('a', 9, { writeMode: maps.writeMode.UPDATE_ONLY })).toEqual({ ...M, a: 9 })
    expect(await value(k, exp.maps.put(m(), i(9), s('a'), { writeFlags: maps.writeFlags.CREATE_ONLY | maps.writeFlags.NO_FAIL }))).toEqual(M)
    expect(await value(k, exp.maps.putItems(m(), exp.map({ a: 7, z: 8 }), { writeFlags: maps.writeFlags.UPDATE_ONLY | maps.writeFlags.NO_FAIL | maps.writeFlags.PARTIAL }))).toEqual({ ...M, a: 7 })
    // The policy's order applies when the operation creates the map (on a nil operand): a
    // key-ordered map compares equal to a map literal, an unordered one does not compare.
    const k2 = await record({ x: 1 })
    const create = (p?: object) => exp.maps.putItems(exp.nil(), exp.map({ b: 1, a: 2 }), p)
    await fx.client.operate(k2, [exp.operations.write('o', create(new maps.MapPolicy({ order: maps.order.KEY_ORDERED }))), exp.operations.write('u', create())])
    expect(await bins(k2)).toEqual({ x: 1, o: { a: 2, b: 1 }, u: { a: 2, b: 1 } })
    expect(await passes(k2, exp.eq(exp.binMap('o'), exp.map({ a: 2, b: 1 })))).toBe(true)
    expect(await passes(k2, exp.eq(exp.binMap('u'), exp.map({ a: 2, b: 1 })))).toBe(false)
  })
})

describe('exp.bit', () => {
  const B = Buffer.from([0b10101010, 0b11110000])
  const b = () => exp.binBlob('b')
  const i = exp.int
  const bytes = (...v: number[]) => Buffer.from(v)

  it('reads: get, count, lScan, rScan, getInt', async () => {
    const k = await record({ b: B })
    await check(k, [
      ['get', exp.bit.get(b(), i(8), i(0)), bytes(0xaa)],
      ['get nibble', exp.bit.get(b(), i(4), i(8)), bytes(0xf0)],
      ['count', exp.bit.count(b(), i(16), i(0)), 8],
      ['count byte 1', exp.bit.count(b(), i(8), i(8)), 4],
      ['lScan 1', exp.bit.lScan(b(), exp.bool(true), i(16), i(0)), 0],
      ['lScan 0', exp.bit.lScan(b(), exp.bool(false), i(16), i(0)), 1],
      ['rScan 1', exp.bit.rScan(b(), exp.bool(true), i(16), i(0)), 11],
      ['rScan 0', exp.bit.rScan(b(), exp.bool(false), i(8), i(8)), 7],
      ['getInt unsigned', exp.bit.getInt(b(), false, i(8), i(8)), 0xf0],
      ['getInt signed', exp.bit.getInt(b(), true, i(8), i(8)), 0xf0 - 256],
      ['getInt nibble', exp.bit.getInt(b(), false, i(4), i(0)), 0b1010],
    ])
    expect(await passes(k, exp.eq(exp.bit.count(b(), i(16), i(0)), i(8)))).toBe(true)
  })

  it('modifies answer the modified blob', async () => {
    const k = await record({ b: B })
    const one = (v: number) => exp.bytes(bytes(v))
    await check(k, [
      ['reSize grow', exp.bit.reSize(b(), bitwise.resizeFlags.DEFAULT, i(3)), bytes(0xaa, 0xf0, 0)],
      ['reSize from front', exp.bit.reSize(b(), bitwise.resizeFlags.FROM_FRONT, i(1)), bytes(0xf0)],
      ['insert', exp.bit.insert(b(), one(1), i(1)), bytes(0xaa, 1, 0xf0)],
      ['remove', exp.bit.remove(b(), i(1), i(0)), bytes(0xf0)],
      ['set', exp.bit.set(b(), one(0xff), i(4), i(0)), bytes(0xfa, 0xf0)],
      ['or', exp.bit.or(b(), one(0x0f), i(8), i(8)), bytes(0xaa, 0xff)],
      ['xor', exp.bit.xor(b(), one(0xff), i(8), i(0)), bytes(0x55, 0xf0)],
      ['and', exp.bit.and(b(), one(0x0f), i(8), i(0)), bytes(0x0a, 0xf0)],
      ['not', exp.bit.not(b(), i(8), i(8)), bytes(0xaa, 0x0f)],
      ['lShift', exp.bit.lShift(b(), i(1), i(8), i(0)), bytes(0x54, 0xf0)],
      ['rShift', exp.bit.rShift(b(), i(4), i(8), i(8)), bytes(0xaa, 0x0f)],
      ['add', exp.bit.add(b(), bitwise.overflow.FAIL, i(1), i(8), i(0)), bytes(0xab, 0xf0)],
      ['add wrap', exp.bit.add(b(), bitwise.overflow.WRAP, i(0x20), i(8), i(8)), bytes(0xaa, 0x10)],
      ['add saturate', exp.bit.add(b(), bitwise.overflow.SATURATE, i(0x20), i(8), i(8)), bytes(0xaa, 0xff)],
      ['subtract', exp.bit.subtract(b(), bitwise.overflow.FAIL, i(1), i(8), i(8)), bytes(0xaa, 0xef)],
      ['setInt', exp.bit.setInt(b(), i(7), i(8), i(0)), bytes(0x07, 0xf0)],
    ])
    await expectCode(fx.client.operate(k, [exp.operations.read('r', exp.bit.add(b(), bitwise.overflow.FAIL, i(0x20), i(8), i(8)))]), status.ERR_OP_NOT_APPLICABLE)
    expect(await bins(k)).toEqual({ b: B })
    await fx.client.operate(k, [exp.operations.write('b', exp.bit.not(b(), i(16), i(0)))])
    expect((await bins(k)).b).toEqual(bytes(0x55, 0x0f))
  })
})

describe('exp.hll', () => {
  const h = () => exp.binHll('h')

  it('reads: count, describe, mayContain, union, intersection and similarity with other HLLs', async () => {
    const k = await record({ x: 1 })
    await fx.client.operate(k, [aerospike.hll.add('h', ['a', 'b', 'c'], 8), aerospike.hll.add('o', ['c', 'd'], 8)])
    const other = (await bins(k)).o as Buffer
    const others = () => exp.list([other])
    await check(k, [
      ['count', exp.hll.getCount(h()), 3],
      ['describe', exp.hll.describe(h()), [8, 0]],
      ['mayContain yes', exp.hll.mayContain(h(), exp.list(['a', 'b'])), 1],
      ['mayContain no', exp.hll.mayContain(h(), exp.list(['zz'])), 0],
      ['unionCount', exp.hll.getUnionCount(h(), others()), 4],
      ['intersectCount', exp.hll.getIntersectCount(h(), others()), 1],
    ])
    expect(await value(k, exp.hll.getSimilarity(h(), others()))).toBeCloseTo(1 / 4, 1)
    expect(await value(k, exp.hll.getCount(exp.hll.getUnion(h(), others())))).toBe(4)
    expect(await passes(k, exp.ge(exp.hll.getCount(h()), exp.int(3)))).toBe(true)
  })

  it('modifies: add, update, init and initMH answer the modified HLL', async () => {
    const k = await record({ x: 1 })
    await fx.client.operate(k, [aerospike.hll.add('h', ['a', 'b', 'c'], 8)])
    await check(k, [
      ['update', exp.hll.getCount(exp.hll.update(h(), exp.list(['c', 'd', 'e']))), 5],
      ['add', exp.hll.getCount(exp.hll.add(h(), 8, exp.list(['x']))), 4],
      ['addMH', exp.hll.getCount(exp.hll.addMH(h(), 0, 8, exp.list(['x', 'y']))), 5],
      ['init', exp.hll.describe(exp.hll.init(h(), 10)), [10, 0]],
      ['initMH', exp.hll.describe(exp.hll.initMH(h(), 4, 10)), [10, 4]],
      ['init count', exp.hll.getCount(exp.hll.init(h(), 10)), 0],
    ])
    await fx.client.operate(k, [exp.operations.write('h', exp.hll.update(h(), exp.list(['z'])))])
    expect(await value(k, exp.hll.getCount(h()))).toBe(4)
  })
})
