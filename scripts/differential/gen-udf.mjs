// Random cases for the udf family: a record (or none), then UDF applies of the functions of
// conformance/differential/udf/diffudf.lua with random arguments: reads, writes that create or
// update the record, removes, every return type (nil, integers, floats, strings, bytes from a
// bin, lists, maps, booleans), errors raised with error(), the record functions (gen, ttl,
// setname, numbins, digest, bin_names) and the list/map Lua API; now and then an unknown
// function or module, a bin name that is too long, or a filter expression on the apply.
import { genMap, genValue } from './values.mjs'

export const MODULE = 'diffudf'

const BINS = ['a', 's', 'l', 'm', 'b', 'f', 'x']
const bin = (r) => (r.chance(0.97) ? r.pick(BINS) : 'a_bin_name_too_long')
const any = (r) => (r.chance(0.1) ? null : genValue(r, 2, { int: 4, str: 3, dbl: 1.5, bool: 1, bytes: 1, list: 1.5, map: 1.5 }))
const num = (r) => (r.chance(0.7) ? r.int(-5, 9) : { $d: r.pick([0.5, -1.5, 2]) })

/**
 * A bin and a value to write to it. No bytes go into `l`, `m` or `x`: list_work and map_work
 * would then index a bytes value, whose Lua API (`bytes` indexing) the embedded server lacks.
 */
function binValue(r) {
  const b = bin(r)
  const v = any(r)
  return ['l', 'm', 'x'].includes(b) && v?.$b !== undefined ? [b, v.$b.length] : [b, v]
}

const FUNCS = {
  get: (r) => [bin(r)],
  set: (r) => binValue(r),
  set_two: (r) => [...binValue(r), ...binValue(r)],
  incr: (r) => [bin(r), r.chance(0.9) ? num(r) : 'x'],
  drop: () => [],
  exists: () => [],
  echo: (r) => [any(r)],
  kind: (r) => [r.pick(['nil', 'int', 'neg', 'float', 'whole', 'string', 'list', 'map', 'true', 'false', 'other'])],
  fail: (r) => [r.pick(['boom', '', 'bad input'])],
  fail_if: (r) => [bin(r)],
  meta: () => [],
  list_work: (r) => [r.pick(['l', 'a', 'x']), any(r)],
  map_work: (r) => [r.pick(['m', 'a', 'x']), r.chance(0.7) ? r.pick(['k', 'j']) : r.int(0, 3), any(r)],
  type_of: (r) => [bin(r)],
  sum: (r) => [num(r), r.chance(0.9) ? num(r) : 'x'],
  concat: (r) => [r.chance(0.8) ? r.pick(['a', 'bc', '']) : num(r), r.chance(0.8) ? r.pick(['a', 'bc', '']) : num(r)],
}
const WEIGHTS = { get: 2, set: 3, set_two: 1, incr: 2, drop: 0.7, exists: 0.7, echo: 2, kind: 2, fail: 1, fail_if: 1, meta: 1.5, list_work: 1.5, map_work: 1.5, type_of: 1.5, sum: 1, concat: 1 }

function apply(r) {
  const fn = r.chance(0.03) ? 'no_such_function' : r.weighted(WEIGHTS)
  const s = { t: 'apply', fn, args: fn in FUNCS ? FUNCS[fn](r) : [] }
  if (r.chance(0.02)) s.mod = 'no_such_module'
  if (r.chance(0.1)) s.pol = { filterExpression: { $x: [r.pick(['eq', 'ne', 'gt']), { $x: ['binInt', 'a'] }, { $x: ['int', r.int(-2, 6)] }] } }
  return s
}

function put(r) {
  const bins = { a: r.int(-3, 9) }
  if (r.chance(0.6)) bins.s = r.pick(['x', 'yz', ''])
  if (r.chance(0.5)) bins.l = Array.from({ length: r.int(0, 3) }, () => genValue(r, 0))
  if (r.chance(0.5)) bins.m = genMap(r, 0, r.int(0, 3))
  if (r.chance(0.4)) bins.b = { $b: r.pick(['00', '01ff', '']) }
  if (r.chance(0.3)) bins.f = { $d: r.pick([0.5, 2, -1.25]) }
  return { t: 'put', bins }
}

export function udfCase(r) {
  const steps = [r.chance(0.8) ? put(r) : apply(r)]
  for (let i = r.int(1, 5); i > 0; i--) steps.push(r.chance(0.15) ? put(r) : apply(r))
  return steps
}
