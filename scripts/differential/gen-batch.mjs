// Random cases for the batch family: a case owns KEYS records (some never written, so rows for
// missing keys come up), puts a few of them, then runs batchGet, batchExists, batchSelect,
// batchRead (rows of mixed kinds: bins, all bins, no bins, operations), batchWrite (write,
// remove and read rows, operations of every plain kind, list/map ops), batchRemove, with
// duplicate keys, per-row policies (exists, generation, send key) and filter expressions on
// the batch and on rows. Rows name keys by index into the case's keys (exec-batch.mjs).
import { genValue } from './values.mjs'
import { gen } from './gen-expr.mjs'

/** How many records a batch case owns. */
export const KEYS = 5

const BINS = ['a', 'b', 'c']
const key = (r) => r.int(0, KEYS - 1)
const keys = (r) => Array.from({ length: r.int(0, 6) }, () => key(r))
const val = (r) => (r.chance(0.7) ? r.int(-3, 9) : genValue(r, 1, { int: 3, str: 3, list: 1, map: 1 }))
const bins = (r) => (r.chance(0.15) ? [] : BINS.filter(() => r.chance(0.5)).concat(r.chance(0.1) ? ['x'] : []))

/** A filter expression over the bins the cases write (sometimes one that cannot be built). */
function filter(r) {
  if (r.chance(0.6)) {
    return { $x: [r.pick(['eq', 'ne', 'gt', 'lt']), { $x: ['binInt', r.pick(BINS)] }, { $x: ['int', r.int(-2, 6)] }] }
  }
  return gen(r, 'bool', r.int(1, 2))
}

const READ_OPS = {
  read: (r) => ({ f: 'ops', op: 'read', b: r.pick([...BINS, 'x']), a: [] }),
  size: (r) => ({ f: 'lists', op: 'size', b: r.pick(['l', 'a']), a: [] }),
  get: (r) => ({ f: 'lists', op: 'getByIndex', b: 'l', a: [r.int(-3, 3), 7] }),
}
const WRITE_OPS = {
  write: (r) => ({ f: 'ops', op: 'write', b: r.pick(BINS), a: [val(r)] }),
  // Always a number: the official client (6.7.1) aborts the process on a batch write row with
  // an incr by a string.
  incr: (r) => ({ f: 'ops', op: 'incr', b: r.pick(BINS), a: [r.int(-3, 5)] }),
  append: (r) => ({ f: 'ops', op: 'append', b: r.pick(BINS), a: [r.pick(['x', 'yz'])] }),
  listAppend: (r) => ({ f: 'lists', op: 'append', b: 'l', a: [r.int(0, 9)] }),
  mapPut: (r) => ({ f: 'maps', op: 'put', b: 'm', a: [r.pick(['k', 'j', 1]), r.int(0, 9)] }),
  touch: () => ({ f: 'ops', op: 'touch', a: [0] }),
  delete: () => ({ f: 'ops', op: 'delete', a: [] }),
}
const readOp = (r) => READ_OPS[r.weighted({ read: 5, size: 1, get: 1 })](r)
const writeOp = (r) => (r.chance(0.3) ? readOp(r) : WRITE_OPS[r.weighted({ write: 5, incr: 3, append: 1, listAppend: 1.5, mapPut: 1.5, touch: 0.5, delete: 0.3 })](r))
// Never empty: the official client (6.7.1) aborts the process on a batch with a row of no
// operations next to other rows (alone, the row is its own ERR_PARAM).
const ops = (r, of) => Array.from({ length: r.int(1, 3) }, () => of(r))

function readRow(r) {
  const row = { k: key(r) }
  const kind = r.weighted({ bins: 3, all: 2, none: 0.7, ops: 2.5 })
  if (kind === 'bins') row.bins = bins(r)
  if (kind === 'all') row.all = 1
  if (kind === 'ops') row.ops = ops(r, readOp)
  if (r.chance(0.2)) row.pol = { filterExpression: filter(r) }
  return row
}

function writeRow(r) {
  const kind = r.weighted({ write: 5, remove: 1, read: 1.5 })
  if (kind === 'read') return { ...readRow(r), t: 'read' }
  const row = { t: kind, k: key(r) }
  if (kind === 'write') row.ops = ops(r, writeOp)
  const pol = {}
  if (r.chance(0.2)) pol.filterExpression = filter(r)
  if (kind === 'write' && r.chance(0.25)) pol.exists = r.int(0, 4)
  if (r.chance(0.12)) Object.assign(pol, kind === 'remove' ? { gen: r.pick([0, 1, 2]), generation: r.int(0, 3) } : { gen: r.pick([0, 1, 2]) })
  if (kind === 'write' && r.chance(0.15)) pol.key = 1
  if (Object.keys(pol).length) row.pol = pol
  return row
}

function put(r) {
  const b = {}
  for (const n of BINS) if (r.chance(0.7)) b[n] = r.chance(0.85) ? r.int(-3, 9) : val(r)
  if (r.chance(0.3)) b.l = Array.from({ length: r.int(0, 4) }, () => r.int(0, 9))
  if (!Object.keys(b).length) b.a = 1
  return { t: 'kput', k: key(r), bins: b }
}

function step(r) {
  const t = r.weighted({ kput: 1, batchGet: 2, batchExists: 1, batchSelect: 1.5, batchRead: 3, batchWrite: 4, batchRemove: 0.5 })
  if (t === 'kput') return put(r)
  const s = { t }
  if (t === 'batchRead') s.rows = Array.from({ length: r.int(0, 5) }, () => readRow(r))
  else if (t === 'batchWrite') s.rows = Array.from({ length: r.int(0, 5) }, () => writeRow(r))
  else s.keys = keys(r)
  if (t === 'batchSelect') s.bins = bins(r)
  if (r.chance(0.2)) s.pol = { filterExpression: filter(r) }
  if (r.chance(0.15)) s.pol = { ...s.pol, respondAllKeys: false }
  return s
}

export function batchCase(r) {
  const steps = []
  for (let i = r.int(1, 4); i > 0; i--) steps.push(put(r))
  for (let i = r.int(1, 4); i > 0; i--) steps.push(step(r))
  return steps
}
