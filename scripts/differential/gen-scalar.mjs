// Random cases for the scalar family: puts with record-exists and generation policies and TTLs,
// and operate calls of the plain bin ops (write, read, incr, append, prepend, touch, delete).
// The generation and TTL of the record after each step are compared too.
import { genValue } from './values.mjs'

const BINS = ['a', 'b', 's']
const TTLS = [-2, -1, 0, 60, 600, 3600]

const num = (r) => (r.chance(0.8) ? r.int(-5, 9) : { $d: r.pick([0.5, -1.25, 2.0]) })
const str = (r) => r.pick(['x', 'yz', '', 'ab'])
const any = (r) => (r.chance(0.1) ? null : genValue(r, 1, { int: 5, str: 4, dbl: 2, bytes: 1, list: 1, map: 1 }))

const OPS = {
  write: (r) => [any(r)],
  read: () => [],
  incr: (r) => [r.chance(0.9) ? num(r) : str(r)],
  append: (r) => [r.chance(0.85) ? str(r) : num(r)],
  prepend: (r) => [r.chance(0.85) ? str(r) : num(r)],
  touch: (r) => [r.pick(TTLS.filter((t) => t !== -2))],
  delete: () => [],
}
const BINLESS = new Set(['touch', 'delete'])

function bins(r) {
  const out = {}
  for (const b of BINS) if (r.chance(0.6)) out[b] = b === 's' ? str(r) : r.chance(0.8) ? num(r) : any(r)
  return out
}

function meta(r) {
  const m = {}
  if (r.chance(0.4)) m.ttl = r.pick(TTLS)
  if (r.chance(0.2)) m.gen = r.int(0, 3)
  return Object.keys(m).length ? m : undefined
}

function put(r) {
  const s = { t: 'put', bins: bins(r) }
  const m = meta(r)
  if (m) s.meta = m
  if (r.chance(0.4)) s.pol = { exists: r.int(0, 4), gen: r.chance(0.3) ? r.int(0, 2) : 0 }
  return s
}

function operate(r) {
  const ops = []
  for (let i = r.int(1, 3); i > 0; i--) {
    const op = r.weighted({ write: 4, read: 3, incr: 3, append: 2, prepend: 1, touch: 0.7, delete: 0.3 })
    const d = { f: 'ops', op, a: OPS[op](r) }
    if (!BINLESS.has(op)) d.b = r.pick(BINS)
    ops.push(d)
  }
  const s = { t: 'op', ops }
  if (r.chance(0.2)) s.meta = { ttl: r.pick(TTLS) }
  return s
}

export function scalarCase(r) {
  const steps = [r.chance(0.85) ? put(r) : { t: 'op', ops: [{ f: 'ops', op: 'read', b: 'a', a: [] }] }]
  for (let i = r.int(1, 5); i > 0; i--) steps.push(r.chance(0.25) ? put(r) : r.chance(0.05) ? { t: 'remove' } : operate(r))
  return steps
}
