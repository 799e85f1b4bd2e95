// Random cases for the bit and hll families: blob bins worked on with every bitwise op the
// official client has (offsets and sizes past either end, negative offsets, write and resize
// flags, overflow actions), and HyperLogLog bins built with init/add and read back (counts,
// descriptions, folds, the bins' raw registers), with index and minhash bit counts inside and
// outside the allowed ranges; and (hll-set) unions, intersections and similarities of HLL values
// read back from the record.
// Bins `b`/`h` hold the data; `x` is missing and `o` holds a string (the wrong type).

const hex = (r, n) => ({ $b: Array.from({ length: n }, () => r.int(0, 255).toString(16).padStart(2, '0')).join('') })
const bytes = (r, lo, hi) => hex(r, r.int(lo, hi))
const bitOffset = (r) => (r.chance(0.85) ? r.int(0, 40) : r.int(-24, -1))
const bitSize = (r) => (r.chance(0.9) ? r.int(1, 20) : r.pick([0, 32, 63, 64, 65]))
const byteOffset = (r) => (r.chance(0.85) ? r.int(0, 7) : r.int(-4, -1))
const sign = (r) => r.chance(0.3)
const flags = (r, weights) => Number(r.weighted(weights))

/** Which bin an op works on: mostly the data bin, sometimes a missing one or the string. */
const target = (r, bin) => r.weighted({ [bin]: 12, x: 1, o: 1 })

const BIT_OPS = {
  resize: (r) => [r.int(0, 10), flags(r, { 0: 4, 1: 2, 2: 1, 4: 1, 3: 0.3, 5: 0.3 })],
  insert: (r) => [byteOffset(r), bytes(r, 0, 3)],
  remove: (r) => [byteOffset(r), r.int(0, 4)],
  set: (r) => [bitOffset(r), bitSize(r), bytes(r, 1, 3)],
  or: (r) => [bitOffset(r), bitSize(r), bytes(r, 1, 3)],
  xor: (r) => [bitOffset(r), bitSize(r), bytes(r, 1, 3)],
  and: (r) => [bitOffset(r), bitSize(r), bytes(r, 1, 3)],
  not: (r) => [bitOffset(r), bitSize(r)],
  lshift: (r) => [bitOffset(r), bitSize(r), r.int(0, 20)],
  rshift: (r) => [bitOffset(r), bitSize(r), r.int(0, 20)],
  add: (r) => [bitOffset(r), bitSize(r), r.int(0, 300), sign(r)],
  subtract: (r) => [bitOffset(r), bitSize(r), r.int(0, 300), sign(r)],
  get: (r) => [bitOffset(r), bitSize(r)],
  lscan: (r) => [bitOffset(r), bitSize(r), r.chance(0.5)],
  rscan: (r) => [bitOffset(r), bitSize(r), r.chance(0.5)],
  getInt: (r) => [bitOffset(r), bitSize(r), sign(r)],
}
const BIT_READS = new Set(['get', 'lscan', 'rscan', 'getInt'])
const BIT_WEIGHTS = { resize: 2, insert: 2, remove: 2, set: 2, or: 1, xor: 1, and: 1, not: 1, lshift: 1, rshift: 1, add: 2, subtract: 2, get: 3, lscan: 1, rscan: 1, getInt: 2 }

function bitOp(r) {
  const op = r.weighted(BIT_WEIGHTS)
  const d = { f: 'bitwise', op, b: target(r, 'b'), a: BIT_OPS[op](r) }
  if (!BIT_READS.has(op) && r.chance(0.3)) d.pol = { writeFlags: flags(r, { 0: 1, 1: 2, 2: 2, 4: 2, 5: 1, 6: 1, 8: 0.5, 12: 0.5 }) }
  if ((op === 'add' || op === 'subtract') && r.chance(0.5)) d.ovf = r.pick([0, 2, 4])
  // CE 8.0.0.15 crashes on a shift by 8 or more with DO_PARTIAL when the range runs past the
  // end of the blob (rshift(38, 6, 8) on 5 bytes, lshift(18, 8, 16) on 3): keep those under a
  // byte (without drawing again, so the cases after stay the same).
  if ((op === 'lshift' || op === 'rshift') && (d.pol?.writeFlags ?? 0) & 8) d.a[2] %= 8
  return d
}

export function bitCase(r) {
  const steps = [{ t: 'put', bins: { b: bytes(r, r.chance(0.1) ? 0 : 3, 8), o: 'str' } }]
  for (let i = r.int(1, 4); i > 0; i--) steps.push({ t: 'op', ops: Array.from({ length: r.int(1, 3) }, () => bitOp(r)) })
  return steps
}

const indexBits = (r) => (r.chance(0.9) ? r.int(4, 12) : r.pick([-1, 3, 16, 17]))
const minhashBits = (r) => (r.chance(0.6) ? 0 : r.chance(0.85) ? r.int(4, 16) : r.pick([-1, 3, 51, 52]))
const items = (r) => Array.from({ length: r.int(0, 6) }, () => (r.chance(0.6) ? r.pick(['a', 'b', 'c', 'ab', 'ba', '']) : r.int(-3, 40)))

const HLL_OPS = {
  init: (r) => [indexBits(r), minhashBits(r)],
  add: (r) => (r.chance(0.5) ? [items(r)] : [items(r), indexBits(r), minhashBits(r)]),
  refreshCount: () => [],
  fold: (r) => [r.chance(0.9) ? r.int(4, 12) : r.pick([3, 16])],
  getCount: () => [],
  describe: () => [],
}
const HLL_READS = new Set(['getCount', 'describe'])
const HLL_WEIGHTS = { init: 1.5, add: 4, refreshCount: 1, fold: 1, getCount: 3, describe: 2 }

function hllOp(r) {
  const op = r.weighted(HLL_WEIGHTS)
  const d = { f: 'hll', op, b: target(r, 'h'), a: HLL_OPS[op](r) }
  if (!HLL_READS.has(op) && op !== 'refreshCount' && r.chance(0.25)) d.pol = { writeFlags: flags(r, { 1: 2, 2: 2, 4: 2, 5: 1, 6: 1, 8: 1 }) }
  return d
}

export function hllCase(r) {
  const first = r.chance(0.5) ? { f: 'hll', op: 'init', b: 'h', a: [r.int(4, 12), minhashBits(r)] } : { f: 'hll', op: 'add', b: 'h', a: [items(r), r.int(4, 12), minhashBits(r)] }
  const steps = [{ t: 'op', ops: [first, { f: 'ops', op: 'write', b: 'o', a: ['str'] }] }]
  for (let i = r.int(1, 4); i > 0; i--) steps.push({ t: 'op', ops: Array.from({ length: r.int(1, 3) }, () => hllOp(r)) })
  return steps
}

/**
 * An HLL list argument for the set ops: 0..3 of the record's HLL bins as they were after the
 * previous step ({$bin: name}, resolved by exec.mjs), now and then a blob that is no HLL.
 */
const hllList = (r) =>
  Array.from({ length: r.weighted({ 0: 0.3, 1: 4, 2: 3, 3: 1 }) }, () => (r.chance(0.97) ? { $bin: r.weighted({ h: 1, g1: 3, g2: 3, x: 0.1 }) } : hex(r, r.int(0, 4))))

const HLL_SET_OPS = {
  setUnion: (r) => [hllList(r)],
  getUnion: (r) => [hllList(r)],
  getUnionCount: (r) => [hllList(r)],
  getIntersectCount: (r) => [hllList(r)],
  getSimilarity: (r) => [hllList(r)],
  add: (r) => [items(r)],
  fold: (r) => [r.chance(0.9) ? r.int(4, 12) : r.pick([3, 16])],
  getCount: () => [],
}
const HLL_SET_WEIGHTS = { setUnion: 3, getUnion: 2, getUnionCount: 3, getIntersectCount: 3, getSimilarity: 3, add: 2, fold: 0.7, getCount: 1 }

function hllSetOp(r) {
  const op = r.weighted(HLL_SET_WEIGHTS)
  const d = { f: 'hll', op, b: r.weighted({ h: 12, g1: 2, x: 1, o: 1 }), a: HLL_SET_OPS[op](r) }
  if ((op === 'setUnion' || op === 'add' || op === 'fold') && r.chance(0.25)) d.pol = { writeFlags: flags(r, { 1: 2, 2: 2, 4: 2, 5: 1, 6: 1, 8: 1 }) }
  return d
}

/** An HLL bin's first op: init or add, with bit counts that now match the others' and now not. */
function hllBin(r, bin, bits) {
  const ib = r.chance(0.8) ? bits[0] : r.int(4, 12)
  const mb = r.chance(0.8) ? bits[1] : minhashBits(r)
  return r.chance(0.3) ? { f: 'hll', op: 'init', b: bin, a: [ib, mb] } : { f: 'hll', op: 'add', b: bin, a: [items(r), ib, mb] }
}

/**
 * The hll-set family: a record with three HLL bins (h, g1, g2), then unions, intersections
 * and similarities of h with lists of the others' values as read back from the record.
 */
export function hllSetCase(r) {
  const bits = [r.int(4, 12), r.chance(0.5) ? 0 : r.int(4, 12)]
  const init = [hllBin(r, 'h', bits), hllBin(r, 'g1', bits), hllBin(r, 'g2', bits), { f: 'ops', op: 'write', b: 'o', a: ['str'] }]
  const steps = [{ t: 'op', ops: r.chance(0.1) ? init.slice(1) : init }]
  for (let i = r.int(1, 4); i > 0; i--) steps.push({ t: 'op', ops: Array.from({ length: r.int(1, 3) }, () => hllSetOp(r)) })
  return steps
}
