// Values for the differential tester, in three forms: the generator's JSON descriptions (what
// the corpus stores, so a recorded case replays byte for byte), the official client's values
// (what `decode` builds from a description), and canonical replies (what `canon` makes of
// whatever the client hands back, so two servers' replies compare as JSON text).
//
// Descriptions: numbers, strings, booleans, null and arrays stand for themselves; a few tagged
// objects stand for what JSON cannot say: {$d: x} a double (the client sends 2 as an integer
// unless wrapped), {$b: hex} bytes, {$m: [[k, v], ...]} a map with keys of any type,
// {$undef: 1} an argument left out, {$lp: {...}} / {$mp: {...}} list and map policies,
// {$ctx: [[kind, arg, ...], ...]} a CDT context, {$x: [name, ...args]} an expression (`name` a
// function of the client's `exp` module, dotted for its submodules), {$geo: text} a GeoJSON value.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const Aerospike = require('aerospike')

export { Aerospike }

/** A small seeded PRNG (mulberry32): the same seed gives the same cases everywhere. */
export function rng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const r = {
    next,
    /** An integer in [lo, hi]. */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
    /** A key of `weights` ({name: weight}), drawn by weight. */
    weighted: (weights) => {
      const entries = Object.entries(weights)
      let x = next() * entries.reduce((s, [, w]) => s + w, 0)
      for (const [k, w] of entries) {
        x -= w
        if (x < 0) return k
      }
      return entries[entries.length - 1][0]
    },
  }
  return r
}

/**
 * A random value description. Small domains on purpose: duplicates and near-misses are where
 * rank, value-range and relative-rank selectors disagree. `depth` bounds nesting.
 */
export function genValue(r, depth = 1, weights = null) {
  const kind = r.weighted(
    weights ?? { int: 10, str: 5, dbl: 2, bool: 1, bytes: 1, nil: depth > 0 ? 0.3 : 0, list: depth > 0 ? 2 : 0, map: depth > 0 ? 1.5 : 0 },
  )
  switch (kind) {
    case 'int':
      return r.int(-3, 12)
    case 'str':
      return r.pick(['a', 'b', 'c', 'd', 'ab', 'ba', ''])
    case 'dbl':
      return { $d: r.pick([-1.5, 0.5, 1.5, 2.0, 7.25]) }
    case 'bool':
      return r.chance(0.5)
    case 'bytes':
      return { $b: r.pick(['00', '01', '0102', 'ff']) }
    case 'nil':
      return null
    case 'list':
      return Array.from({ length: r.int(0, 3) }, () => genValue(r, depth - 1))
    case 'map':
      return genMap(r, depth - 1, r.int(0, 3))
  }
}

/** A map description with `n` distinct keys (ints or strings, as the server allows). */
export function genMap(r, depth, n) {
  const seen = new Set()
  const entries = []
  for (let i = 0; i < n * 2 && entries.length < n; i++) {
    const k = r.chance(0.5) ? r.int(0, 9) : r.pick(['a', 'b', 'c', 'd', 'e', 'k'])
    const id = JSON.stringify(k)
    if (seen.has(id)) continue
    seen.add(id)
    entries.push([k, genValue(r, depth)])
  }
  return { $m: entries }
}

/** The official client's value for a description. */
export function decode(d) {
  if (Array.isArray(d)) return d.map(decode)
  if (d === null || typeof d !== 'object') return d
  if ('$d' in d) return new Aerospike.Double(d.$d)
  if ('$b' in d) return Buffer.from(d.$b, 'hex')
  if ('$m' in d) return new Map(d.$m.map(([k, v]) => [decode(k), decode(v)]))
  if ('$undef' in d) return undefined
  if ('$lp' in d) return new Aerospike.ListPolicy(d.$lp)
  if ('$mp' in d) return new Aerospike.MapPolicy(d.$mp)
  if ('$ctx' in d) return decodeContext(d.$ctx)
  if ('$x' in d) return decodeExp(d.$x)
  if ('$geo' in d) return new Aerospike.GeoJSON(d.$geo)
  throw new Error(`unknown value description ${JSON.stringify(d)}`)
}

const CTX = {
  li: 'addListIndex',
  lic: 'addListIndexCreate',
  lr: 'addListRank',
  lv: 'addListValue',
  mi: 'addMapIndex',
  mr: 'addMapRank',
  mk: 'addMapKey',
  mkc: 'addMapKeyCreate',
  mv: 'addMapValue',
}

function decodeContext(steps) {
  const ctx = new Aerospike.cdt.Context()
  for (const [kind, ...args] of steps) ctx[CTX[kind]](...args.map(decode))
  return ctx
}

function decodeExp([name, ...args]) {
  const fn = name.split('.').reduce((o, k) => o?.[k], Aerospike.exp)
  if (typeof fn !== 'function') throw new Error(`unknown expression ${name}`)
  return fn(...args.map(decode))
}

/** A reply made plain JSON: bytes, maps and typed wrappers tagged, so JSON text compares them. */
export function canon(v) {
  if (v === undefined) return { $undef: 1 }
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) }
    if (typeof v === 'bigint') return { $big: String(v) }
    return v
  }
  if (Buffer.isBuffer(v)) return { $b: v.toString('hex') }
  if (Array.isArray(v)) return v.map(canon)
  if (v instanceof Map) return { $m: [...v].map(([k, x]) => [canon(k), canon(x)]) }
  if (v instanceof Aerospike.Double) return { $d: v.value() }
  if (v instanceof Aerospike.GeoJSON) return { $geo: v.toString() }
  const out = {}
  for (const [k, x] of Object.entries(v)) out[k] = canon(x)
  return out
}

/**
 * The official client's connect options for a differential run: quiet, and patient (a shared
 * machine under load must not turn a slow reply into a difference).
 */
export function connectOptions(hosts) {
  const patient = { totalTimeout: 30_000, socketTimeout: 30_000 }
  return {
    hosts,
    log: { level: Aerospike.log.OFF },
    policies: { read: patient, write: patient, operate: patient, remove: patient },
  }
}
