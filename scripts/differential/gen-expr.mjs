// Random cases for the expr family: a record with a bin of every type, then filter expressions
// on get, exists, put, operate and remove (true, false and the record filtered out, code 27),
// read expressions (`exp.operations.read`) and write expressions (`exp.operations.write`, with
// every write flag) in operate calls. Expressions are drawn by the type they evaluate to, so
// most are well typed and a few are not (a bin of another type, an int mixed with a float):
// comparisons across types, logic, arithmetic (overflow, division by zero), bin, meta and key
// functions, let/var, cond, and list/map/bit/hll reads and modifications inside expressions.
//
// An expression is a description {$x: [name, ...args]}: `name` is a function of the official
// client's `exp` module (`lists.size`, `eq`, …) and the args are descriptions too (values.mjs).
import { genMap, genValue } from './values.mjs'

export const X = (name, ...args) => ({ $x: [name, ...args] })

const TYPES = ['int', 'float', 'str', 'bool', 'blob', 'list', 'map']
const BIN = { int: 'i', float: 'f', str: 's', bool: 't', blob: 'b', list: 'l', map: 'm', hll: 'h' }
const BIN_FN = { int: 'binInt', float: 'binFloat', str: 'binStr', bool: 'binBool', blob: 'binBlob', list: 'binList', map: 'binMap', hll: 'binHll' }
/** exp.type of each type, for the value type of a CDT read. */
const EXP_TYPE = { bool: 1, int: 2, str: 3, list: 4, map: 5, blob: 6, float: 7 }
const ALL_BINS = [...Object.values(BIN), 'x']

const INTS = [0, 1, -1, 2, 3, 5, 7, -8, 63, 64, 100, 2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]
const FLOATS = [0, 0.5, -1.5, 2, 3.25, 1e300, -1e300]
const STRS = ['', 'a', 'ab', 'abc', 'b', 'B', 'ba']

const smallInt = (r) => (r.chance(0.8) ? r.int(-3, 8) : r.pick(INTS))
const hex = (r, n) => ({ $b: Array.from({ length: n }, () => r.int(0, 255).toString(16).padStart(2, '0')).join('') })

function literal(r, type) {
  switch (type) {
    case 'int':
      return X('int', smallInt(r))
    case 'float':
      return X('float', r.pick(FLOATS))
    case 'str':
      return X('str', r.pick(STRS))
    case 'bool':
      return X('bool', r.chance(0.5))
    case 'blob': {
      const n = r.int(0, 3)
      return X('bytes', hex(r, n), n)
    }
    case 'list':
      return X('list', Array.from({ length: r.int(0, 4) }, () => genValue(r, 0, { int: 4, str: 2 })))
    case 'map':
      return X('map', genMap(r, 0, r.int(0, 3)))
  }
}

/** A bin read as `type`: mostly the bin that holds it, now and then another (or a missing one). */
const bin = (r, type) => X(BIN_FN[type], r.chance(0.9) ? BIN[type] : r.pick(ALL_BINS))

/** Another type than `type`, for a comparison or an argument across types. */
const otherType = (r, type) => r.pick(TYPES.filter((t) => t !== type))

/** An argument of `type`, or now and then of another (an int mixed with a float, most often). */
function arg(r, type, depth) {
  if (r.chance(0.93)) return gen(r, type, depth)
  return gen(r, type === 'int' ? 'float' : type === 'float' ? 'int' : otherType(r, type), depth)
}

const args = (r, type, depth, lo, hi) => Array.from({ length: r.int(lo, hi) }, () => arg(r, type, depth))

/** let/var: a variable bound to a value of `type`, used in the body. */
function letExp(r, type, depth) {
  const name = r.pick(['v', 'w'])
  const bound = gen(r, type, depth)
  const body = type === 'int' || type === 'float' ? X(r.pick(['add', 'mul', 'max']), X('var', name), gen(r, type, depth)) : r.chance(0.5) ? X('var', name) : gen(r, type, depth)
  return X('let', X('def', name, bound), body)
}

function cond(r, type, depth) {
  const out = []
  for (let i = r.int(1, 2); i > 0; i--) out.push(gen(r, 'bool', depth), gen(r, type, depth))
  out.push(r.chance(0.9) ? gen(r, type, depth) : gen(r, otherType(r, type), depth))
  return X('cond', ...out)
}

const listExp = (r, depth) => (r.chance(0.7) ? bin(r, 'list') : gen(r, 'list', depth))
const mapExp = (r, depth) => (r.chance(0.7) ? bin(r, 'map') : gen(r, 'map', depth))
const blobExp = (r, depth) => (r.chance(0.7) ? bin(r, 'blob') : gen(r, 'blob', depth))
const idxExp = (r) => X('int', r.int(-4, 4))
const cdtVal = (r) => (r.chance(0.7) ? X('int', r.int(-3, 8)) : X('str', r.pick(STRS)))
const hllList = (r) => X('list', Array.from({ length: r.int(0, 3) }, () => r.pick(['a', 'b', 'c', 1, 2])))

/** CDT reads giving a scalar of `type` (value type checked by the server against the element). */
function cdtScalar(r, type, depth) {
  const t = EXP_TYPE[type]
  return r.chance(0.6)
    ? X('lists.getByIndex', listExp(r, depth), idxExp(r), t, 7)
    : r.chance(0.5)
      ? X('maps.getByKey', mapExp(r, depth), cdtVal(r), t, 7)
      : X('lists.getByRank', listExp(r, depth), idxExp(r), t, 7)
}

const GEN = {
  int: {
    arith: (r, d) => X(r.pick(['add', 'sub', 'mul', 'div']), ...args(r, 'int', d, 1, 3)),
    mod: (r, d) => X('mod', arg(r, 'int', d), r.chance(0.2) ? X('int', 0) : arg(r, 'int', d)),
    unary: (r, d) => X(r.pick(['abs', 'intNot', 'intCount']), arg(r, 'int', d)),
    bits: (r, d) => X(r.pick(['intAnd', 'intOr', 'intXor']), ...args(r, 'int', d, 2, 3)),
    shift: (r, d) => X(r.pick(['intLshift', 'intRshift', 'intArshift']), arg(r, 'int', d), X('int', r.pick([0, 1, 3, 63, 64, -1]))),
    scan: (r, d) => X(r.pick(['intLscan', 'intRscan']), arg(r, 'int', d), gen(r, 'bool', d)),
    minmax: (r, d) => X(r.pick(['min', 'max']), ...args(r, 'int', d, 1, 3)),
    toInt: (r, d) => X('toInt', arg(r, 'float', d)),
    cond,
    let: letExp,
    size: (r, d) => (r.chance(0.5) ? X('lists.size', listExp(r, d)) : X('maps.size', mapExp(r, d))),
    count: (r, d) => X('lists.getByValue', listExp(r, d), cdtVal(r), 5),
    cdt: (r, d) => cdtScalar(r, 'int', d),
    bitCount: (r, d) => X('bit.count', blobExp(r, d), X('int', r.int(0, 24)), X('int', r.int(-8, 16))),
    bitGetInt: (r, d) => X('bit.getInt', blobExp(r, d), r.chance(0.5), X('int', r.int(0, 24)), X('int', r.int(-8, 16))),
    hllCount: () => X('hll.getCount', X('binHll', 'h')),
    binType: (r) => X('binType', r.pick(ALL_BINS)),
    // recordSize and memorySize are left out: they are the real server's flat storage size (in
    // 16-byte blocks), which the embedded server does not model (docs/differential.md).
    meta: (r) => X(r.pick(['ttl', 'voidTime', 'deviceSize'])),
  },
  float: {
    arith: (r, d) => X(r.pick(['add', 'sub', 'mul', 'div']), ...args(r, 'float', d, 1, 3)),
    pow: (r, d) => X(r.pick(['pow', 'log']), arg(r, 'float', d), arg(r, 'float', d)),
    unary: (r, d) => X(r.pick(['abs', 'floor', 'ceil']), arg(r, 'float', d)),
    toFloat: (r, d) => X('toFloat', arg(r, 'int', d)),
    minmax: (r, d) => X(r.pick(['min', 'max']), ...args(r, 'float', d, 1, 3)),
    cond,
    let: letExp,
    cdt: (r, d) => cdtScalar(r, 'float', d),
    similarity: () => X('hll.getSimilarity', X('binHll', 'h'), X('list', [])),
  },
  str: {
    setName: () => X('setName'),
    key: () => X('keyStr'),
    cond,
    let: letExp,
    cdt: (r, d) => cdtScalar(r, 'str', d),
  },
  bool: {
    cmp: (r, d) => {
      const t = r.pick(TYPES)
      return X(r.pick(['eq', 'ne', 'gt', 'ge', 'lt', 'le']), gen(r, t, d), r.chance(0.85) ? gen(r, t, d) : gen(r, otherType(r, t), d))
    },
    logic: (r, d) => X(r.pick(['and', 'or', 'exclusive']), ...args(r, 'bool', d, 1, 3)),
    not: (r, d) => X('not', arg(r, 'bool', d)),
    exists: (r) => X('binExists', r.pick(ALL_BINS)),
    meta: (r) => X(r.pick(['keyExist', 'isTombstone'])),
    regex: (r, d) => X('cmpRegex', r.pick([0, 0, 1, 2, 8]), r.pick(['^a', 'b$', 'a.', '^$', '[ab]+', 'A']), arg(r, 'str', d)),
    cond,
    let: letExp,
    exists_in: (r, d) => X('lists.getByValue', listExp(r, d), cdtVal(r), 13),
    mayContain: (r) => X('hll.mayContain', X('binHll', 'h'), hllList(r)),
  },
  blob: {
    set: (r, d) => X('bit.set', blobExp(r, d), X('bytes', hex(r, 1), 1), X('int', r.int(0, 12)), X('int', r.int(-8, 16))),
    insert: (r, d) => X('bit.insert', blobExp(r, d), X('bytes', hex(r, 1), 1), X('int', r.int(-2, 4))),
    get: (r, d) => X('bit.get', blobExp(r, d), X('int', r.int(0, 16)), X('int', r.int(-8, 16))),
    cond,
  },
  list: {
    range: (r, d) => X('lists.getByIndexRange', listExp(r, d), idxExp(r), X('int', r.int(0, 3)), 7),
    values: (r, d) => X('lists.getByValueRange', listExp(r, d), cdtVal(r), cdtVal(r), 7),
    append: (r, d) => X('lists.append', listExp(r, d), cdtVal(r)),
    sort: (r, d) => X('lists.sort', listExp(r, d), r.pick([0, 2])),
    remove: (r, d) => X('lists.removeByIndex', listExp(r, d), idxExp(r)),
    keys: (r, d) => X('maps.getByIndexRange', mapExp(r, d), X('int', r.int(0, 3)), idxExp(r), 6),
    cond,
  },
  map: {
    put: (r, d) => X('maps.put', mapExp(r, d), cdtVal(r), cdtVal(r)),
    remove: (r, d) => X('maps.removeByKey', mapExp(r, d), cdtVal(r)),
    range: (r, d) => X('maps.getByKeyRange', mapExp(r, d), cdtVal(r), cdtVal(r), 17),
    cond,
  },
}

/** An expression evaluating to `type`, at most `depth` levels of calls deep. */
export function gen(r, type, depth = 2) {
  if (depth <= 0 || r.chance(0.3)) return r.chance(0.5) ? bin(r, type) : literal(r, type)
  const table = GEN[type]
  return table[r.pick(Object.keys(table))](r, type, depth - 1)
}

const filter = (r) => gen(r, 'bool', r.int(1, 3))

/** The first step: a record with a bin of every type (a few left out), sometimes with its key. */
function init(r) {
  const vals = {
    i: r.chance(0.85) ? r.int(-5, 20) : r.pick(INTS),
    f: { $d: r.pick([0.5, -1.5, 2, 3.25, 0]) },
    s: r.pick(STRS),
    t: r.chance(0.5),
    b: hex(r, r.int(0, 3)),
    l: Array.from({ length: r.int(0, 5) }, () => genValue(r, 0, { int: 4, str: 2, dbl: 1 })),
    m: genMap(r, 0, r.int(0, 4)),
  }
  const ops = []
  for (const [b, v] of Object.entries(vals)) if (r.chance(0.9)) ops.push({ f: 'ops', op: 'write', b, a: [v] })
  if (r.chance(0.7)) ops.push({ f: 'hll', op: 'add', b: 'h', a: [['a', 'b', 1].slice(0, r.int(1, 3)), 4] })
  if (!ops.length) ops.push({ f: 'ops', op: 'write', b: 'i', a: [1] })
  const s = { t: 'op', ops }
  if (r.chance(0.4)) s.pol = { key: 1 }
  return s
}

const WRITE_FLAGS = { 0: 4, 1: 1, 2: 1, 4: 2, 8: 1, 16: 1.5, 9: 0.5, 18: 0.5, 20: 0.5, 12: 0.3 }

function expOp(r) {
  if (r.chance(0.5)) {
    const d = { f: 'exp.operations', op: 'read', b: r.pick(['r', 'q']), a: [gen(r, r.pick([...TYPES, 'int', 'bool']), r.int(0, 3)), r.chance(0.8) ? 0 : 16] }
    return d
  }
  const type = r.pick([...TYPES, 'int'])
  const target = r.chance(0.7) ? BIN[type] : r.pick(['w', ...Object.values(BIN)])
  const value = r.chance(0.05) ? X('nil') : gen(r, type, r.int(0, 2))
  return { f: 'exp.operations', op: 'write', b: target, a: [value, Number(r.weighted(WRITE_FLAGS))] }
}

function step(r) {
  const kind = r.weighted({ get: 4, exists: 1, put: 1.5, op: 4, remove: 0.4 })
  const s = { t: kind }
  if (kind === 'put') s.bins = { [r.pick(['i', 's', 'w'])]: r.chance(0.7) ? r.int(-3, 9) : r.pick(STRS) }
  if (kind === 'op') {
    s.ops = Array.from({ length: r.int(1, 3) }, () => (r.chance(0.85) ? expOp(r) : { f: 'ops', op: 'read', b: r.pick(ALL_BINS), a: [] }))
  }
  if (kind === 'get' || kind === 'exists' || r.chance(0.5)) s.pol = { filterExpression: filter(r) }
  return s
}

export function exprCase(r) {
  const steps = [init(r)]
  for (let i = r.int(1, 4); i > 0; i--) steps.push(step(r))
  return steps
}
