// Random cases for the list and map families. A case starts from a record it builds itself (a
// put, or a create with an order and a first batch of items) and runs a few operate calls on it;
// each op is a plain description `{f, op, b, a, inv?, ctx?}` that `exec.mjs` turns into the
// official client's operation, so a recorded case replays the same bytes.
import { genMap, genValue } from './values.mjs'

const LIST_RT = [0, 1, 2, 3, 4, 5, 7, 13]
const MAP_RT = [0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 16, 17]
const INVERTED = 0x10000

const idx = (r) => r.int(-5, 5)
/** A count, or none at all (the ops then run to the end). */
const count = (r) => (r.chance(0.25) ? { $undef: 1 } : r.int(-1, 4))
const scalarish = (r) => genValue(r, 0, { int: 10, str: 4, dbl: 2, bool: 0.5, bytes: 0.5 })
const val = (r) => (r.chance(0.85) ? scalarish(r) : genValue(r, 1))
const vals = (r) => Array.from({ length: r.int(0, 3) }, () => val(r))
/** A value range end: a value, or null (open). */
const end = (r) => (r.chance(0.15) ? null : scalarish(r))

function listPolicy(r) {
  if (r.chance(0.5)) return { $undef: 1 }
  const flags = r.pick([0, 0, 1, 2, 4, 5, 6, 8, 12, 13, 14])
  return { $lp: { order: r.pick([0, 1]), writeFlags: flags } }
}

function mapPolicy(r) {
  if (r.chance(0.5)) return { $undef: 1 }
  return { $mp: { order: r.pick([0, 1, 3]), writeFlags: r.pick([0, 0, 1, 2, 4, 5, 6, 8, 12, 13, 14]) } }
}

/** List ops: name -> arguments after the bin; `true` in INVERTIBLE marks `invertSelection`. */
const LIST_OPS = {
  append: (r) => [val(r), listPolicy(r)],
  appendItems: (r) => [vals(r), listPolicy(r)],
  insert: (r) => [idx(r), val(r), listPolicy(r)],
  insertItems: (r) => [idx(r), vals(r), listPolicy(r)],
  pop: (r) => [idx(r)],
  popRange: (r) => [idx(r), count(r)],
  remove: (r) => [idx(r)],
  removeRange: (r) => [idx(r), count(r)],
  clear: () => [],
  set: (r) => [idx(r), val(r), listPolicy(r)],
  trim: (r) => [idx(r), r.int(0, 4)],
  increment: (r) => [idx(r), r.chance(0.8) ? r.pick([1, -2, 5, { $d: 0.5 }]) : { $undef: 1 }, listPolicy(r)],
  size: () => [],
  get: (r) => [idx(r)],
  getRange: (r) => [idx(r), count(r)],
  setOrder: (r) => [r.pick([0, 1])],
  sort: (r) => [r.pick([0, 2])],
}
for (const verb of ['get', 'remove']) {
  Object.assign(LIST_OPS, {
    [`${verb}ByIndex`]: (r) => [idx(r), r.pick(LIST_RT)],
    [`${verb}ByIndexRange`]: (r) => [idx(r), count(r), r.pick(LIST_RT)],
    [`${verb}ByValue`]: (r) => [val(r), r.pick(LIST_RT)],
    [`${verb}ByValueList`]: (r) => [vals(r), r.pick(LIST_RT)],
    [`${verb}ByValueRange`]: (r) => [end(r), end(r), r.pick(LIST_RT)],
    [`${verb}ByValueRelRankRange`]: (r) => [val(r), r.int(-3, 3), count(r), r.pick(LIST_RT)],
    [`${verb}ByRank`]: (r) => [idx(r), r.pick(LIST_RT)],
    [`${verb}ByRankRange`]: (r) => [idx(r), count(r), r.pick(LIST_RT)],
  })
}
const LIST_INVERTIBLE = /^(get|remove)By(IndexRange|RankRange|Value|ValueList|ValueRange|ValueRelRankRange)$/

const mapKey = (r) => (r.chance(0.5) ? r.int(0, 9) : r.pick(['a', 'b', 'c', 'd', 'e', 'k']))
const keyEnd = (r) => (r.chance(0.15) ? null : mapKey(r))
const mapRt = (r) => r.pick(MAP_RT) | (r.chance(0.15) ? INVERTED : 0)
/**
 * A key or value list for a map selector. Never empty when inverted: CE 8.0.0.15 crashes
 * (SIGSEGV in packed_map_get_remove_all) on an inverted selection by an empty list of a map
 * with an order, so the generator leaves that out.
 */
const mapList = (r, of) => {
  const rt = mapRt(r)
  const xs = Array.from({ length: r.int(rt & INVERTED ? 1 : 0, 3) }, () => of(r))
  return [xs, rt]
}

const MAP_OPS = {
  put: (r) => [mapKey(r), val(r), mapPolicy(r)],
  putItems: (r) => [genMap(r, 1, r.int(0, 3)), mapPolicy(r)],
  increment: (r) => [mapKey(r), r.pick([1, -2, 5, { $d: 0.5 }]), mapPolicy(r)],
  decrement: (r) => [mapKey(r), r.pick([1, 3]), mapPolicy(r)],
  clear: () => [],
  size: () => [],
  setPolicy: (r) => [{ $mp: { order: r.pick([0, 1, 3]) } }],
}
for (const verb of ['get', 'remove']) {
  Object.assign(MAP_OPS, {
    [`${verb}ByKey`]: (r) => [mapKey(r), mapRt(r)],
    [`${verb}ByKeyList`]: (r) => mapList(r, mapKey),
    [`${verb}ByKeyRange`]: (r) => [keyEnd(r), keyEnd(r), mapRt(r)],
    [`${verb}ByKeyRelIndexRange`]: (r) => [mapKey(r), r.int(-3, 3), count(r), mapRt(r)],
    [`${verb}ByValue`]: (r) => [val(r), mapRt(r)],
    [`${verb}ByValueList`]: (r) => mapList(r, val),
    [`${verb}ByValueRange`]: (r) => [end(r), end(r), mapRt(r)],
    [`${verb}ByValueRelRankRange`]: (r) => [val(r), r.int(-3, 3), count(r), mapRt(r)],
    [`${verb}ByIndex`]: (r) => [idx(r), mapRt(r)],
    [`${verb}ByIndexRange`]: (r) => [idx(r), count(r), mapRt(r)],
    [`${verb}ByRank`]: (r) => [idx(r), mapRt(r)],
    [`${verb}ByRankRange`]: (r) => [idx(r), count(r), mapRt(r)],
  })
}

/** A random list of `n` values, sometimes all of one type (the common case in applications). */
function listOf(r, n) {
  const w = r.pick([null, { int: 1 }, { str: 1 }])
  return Array.from({ length: n }, () => (w ? genValue(r, 0, w) : genValue(r, 1)))
}

/**
 * A context into the bin's nested element: the init puts a list of lists/maps, and the
 * context reaches one of them (or, now and then, a missing one, or one to create).
 */
function context(r, outer) {
  if (outer === 'list') {
    return r.weighted({ li: 6, lr: 1, lv: 0.5, lic: 0.7 }) === 'li'
      ? [['li', r.int(-3, 3)]]
      : r.pick([[['lr', r.int(-2, 2)]], [['lv', listOf(r, 1)]], [['lic', r.int(0, 5), r.pick([0, 1]), r.chance(0.5)]]])
  }
  return r.pick([[['mk', mapKey(r)]], [['mk', mapKey(r)]], [['mi', r.int(-2, 2)]], [['mr', r.int(-2, 2)]], [['mkc', mapKey(r), r.pick([0, 1, 3])]]])
}

function opOf(r, table, f, bin, invertible) {
  const op = r.pick(Object.keys(table))
  const d = { f, op, b: bin, a: table[op](r) }
  while (d.a.length && JSON.stringify(d.a[d.a.length - 1]) === '{"$undef":1}') d.a.pop()
  if (invertible?.test(op) && r.chance(0.15)) d.inv = 1
  return d
}

/** The case builder shared by both families: init, then 1..5 operate calls of 1..3 ops. */
function cdtCase(r, { bin, init, ops, nestedCtx, ctxShape }) {
  const steps = [init]
  const n = r.int(1, 5)
  const nested = nestedCtx
  for (let i = 0; i < n; i++) {
    const k = r.weighted({ 1: 8, 2: 1.5, 3: 0.5 })
    const list = []
    for (let j = 0; j < Number(k); j++) {
      const target = r.weighted({ [bin]: 20, other: 1, missing: 1 })
      const b = target === bin ? bin : target === 'other' ? 'o' : 'x'
      const d = ops(r, b)
      if (nested && b === bin && r.chance(0.7)) d.ctx = context(r, ctxShape)
      list.push(d)
    }
    steps.push({ t: 'op', ops: list })
  }
  return steps
}

export function listCase(r) {
  const nested = r.chance(0.25)
  const init = r.weighted({ put: 3, ordered: 2, unique: 0.5 })
  let first
  if (nested) {
    const items = Array.from({ length: r.int(1, 4) }, () => (r.chance(0.7) ? listOf(r, r.int(0, 5)) : genMap(r, 0, r.int(0, 4))))
    first = { t: 'put', bins: { l: items, o: 'str' } }
  } else if (init === 'put') {
    first = { t: 'put', bins: { l: listOf(r, r.int(0, 7)), o: 'str' } }
  } else {
    const pol = { $lp: { order: 1, writeFlags: init === 'unique' ? 5 : 0 } }
    first = {
      t: 'op',
      ops: [
        { f: 'lists', op: 'create', b: 'l', a: [1, false] },
        { f: 'lists', op: 'appendItems', b: 'l', a: [listOf(r, r.int(0, 7)), pol] },
        { f: 'ops', op: 'write', b: 'o', a: ['str'] },
      ],
    }
  }
  return cdtCase(r, { bin: 'l', init: first, ops: (r2, b) => opOf(r2, LIST_OPS, 'lists', b, LIST_INVERTIBLE), nestedCtx: nested, ctxShape: 'list' })
}

export function mapCase(r) {
  const nested = r.chance(0.25)
  const order = r.pick([0, 1, 3])
  let first
  if (nested) {
    const m = genMap(r, 0, r.int(1, 4))
    m.$m = m.$m.map(([k]) => [k, r.chance(0.6) ? genMap(r, 0, r.int(0, 4)) : listOf(r, r.int(0, 4))])
    first = { t: 'put', bins: { m, o: 'str' } }
  } else if (order === 0 && r.chance(0.6)) {
    first = { t: 'put', bins: { m: genMap(r, 1, r.int(0, 7)), o: 'str' } }
  } else {
    first = {
      t: 'op',
      ops: [
        { f: 'maps', op: 'create', b: 'm', a: [order] },
        { f: 'maps', op: 'putItems', b: 'm', a: [genMap(r, 1, r.int(0, 7)), { $mp: { order } }] },
        { f: 'ops', op: 'write', b: 'o', a: ['str'] },
      ],
    }
  }
  return cdtCase(r, { bin: 'm', init: first, ops: (r2, b) => opOf(r2, MAP_OPS, 'maps', b, null), nestedCtx: nested, ctxShape: 'map' })
}
