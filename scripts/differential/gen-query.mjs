// Random cases for the query family: secondary-index queries and scans. Every case owns KEYS
// records of its lane's set (exec-query.mjs gives each parallel worker a set of its own, with
// the same indexes), writes some of them with bins of the indexed kinds (and now and then of
// another type than the index's), then runs queries: equality, range and contains filters on
// plain bins, list values, map keys and values and a context, geo filters (within a radius,
// within a region), scans (no filter), with filter expressions, selected bins, no bins,
// partition ranges, maxRecords and pagination.

// The client's indexDataType and indexType values.
const [STRING, NUMERIC, GEO] = [0, 1, 2]
const [LIST, MAPKEYS, MAPVALUES] = [1, 2, 3]

/** How many records a query case owns. */
export const KEYS = 8

/** The indexes every lane's set has: bin, collection type, data type, context. */
export const INDEXES = [
  { bin: 'n', datatype: NUMERIC },
  { bin: 's', datatype: STRING },
  { bin: 'g', datatype: GEO },
  { bin: 'l', type: LIST, datatype: NUMERIC },
  { bin: 'ls', type: LIST, datatype: STRING },
  { bin: 'm', type: MAPKEYS, datatype: STRING },
  { bin: 'm', type: MAPVALUES, datatype: NUMERIC },
  { bin: 'c', datatype: NUMERIC, ctx: [['li', 0]] },
]

const STRS = ['a', 'b', 'c', 'ab', '']
const num = (r) => r.int(-1, 6)
const point = (r) => ({ $geo: JSON.stringify({ type: 'Point', coordinates: [r.int(-3, 3) / 2, r.int(-3, 3) / 2] }) })

function put(r) {
  const k = r.int(0, KEYS - 1)
  const bins = { k }
  if (r.chance(0.85)) bins.n = r.chance(0.9) ? num(r) : r.pick(['x', { $d: 1.5 }])
  if (r.chance(0.8)) bins.s = r.chance(0.9) ? r.pick(STRS) : num(r)
  if (r.chance(0.6)) bins.g = r.chance(0.9) ? point(r) : 'pt'
  if (r.chance(0.6)) bins.l = Array.from({ length: r.int(0, 4) }, () => (r.chance(0.9) ? num(r) : r.pick(STRS)))
  if (r.chance(0.4)) bins.ls = Array.from({ length: r.int(0, 3) }, () => r.pick(STRS))
  if (r.chance(0.5)) bins.m = { $m: Array.from(new Set(Array.from({ length: r.int(0, 3) }, () => r.pick(STRS)))).map((s) => [s, num(r)]) }
  if (r.chance(0.4)) bins.c = Array.from({ length: r.int(0, 2) }, () => num(r))
  return { t: 'qput', k, bins }
}

/** An index filter: [name of the client's `filter` function, ...args] (none: a scan). */
function indexFilter(r) {
  const lo = num(r)
  const hi = r.chance(0.85) ? lo + r.int(0, 6) : lo - 1
  switch (r.weighted({ none: 1.5, range: 3, equalN: 1.5, equalS: 1.5, list: 1.5, mapk: 1, mapv: 1, ctx: 1, radius: 1, region: 0.7, unindexed: 0.3 })) {
    case 'none':
      return null
    case 'range':
      return ['range', 'n', lo, hi]
    case 'equalN':
      return ['equal', 'n', num(r)]
    case 'equalS':
      return ['equal', 's', r.pick(STRS)]
    case 'list':
      return r.chance(0.5) ? ['contains', 'l', num(r), LIST] : r.chance(0.5) ? ['range', 'l', lo, hi, LIST] : ['contains', 'ls', r.pick(STRS), LIST]
    case 'mapk':
      return ['contains', 'm', r.pick(STRS), MAPKEYS]
    case 'mapv':
      return r.chance(0.5) ? ['contains', 'm', num(r), MAPVALUES] : ['range', 'm', lo, hi, MAPVALUES]
    case 'ctx':
      return ['range', 'c', lo, hi, 0, { $ctx: [['li', 0]] }]
    case 'radius':
      return ['geoWithinRadius', 'g', r.int(-3, 3) / 2, r.int(-3, 3) / 2, r.pick([1, 50000, 100000, 300000])]
    case 'region': {
      // Corners a quarter step off the points' grid: the real server's edges are great-circle
      // arcs with S2's semi-open boundaries, which the embedded server does not model, so no
      // point is drawn on (or a hair off) an edge (docs/differential.md).
      const x = r.int(-3, 2) / 2 + 0.25
      const y = r.int(-3, 2) / 2 + 0.25
      const d = r.pick([1, 2, 3])
      const ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
      return ['geoWithinGeoJSONRegion', 'g', { $geo: JSON.stringify({ type: 'Polygon', coordinates: [ring] }) }]
    }
    case 'unindexed':
      return r.chance(0.5) ? ['range', 'x', lo, hi] : ['equal', 's', lo]
  }
}

/** A filter expression on the records' bins. */
function filterExp(r) {
  const cmp = r.pick(['eq', 'ne', 'gt', 'le'])
  return r.chance(0.6)
    ? { $x: [cmp, { $x: ['binInt', 'n'] }, { $x: ['int', num(r)] }] }
    : { $x: ['or', { $x: [cmp, { $x: ['binStr', 's'] }, { $x: ['str', r.pick(STRS)] }] }, { $x: ['binExists', r.pick(['l', 'm', 'g'])] }] }
}

function query(r) {
  const s = { t: 'query', f: indexFilter(r) }
  if (r.chance(0.25)) s.sel = ['k', ...['n', 's', 'l', 'm', 'g'].filter(() => r.chance(0.4))]
  else if (r.chance(0.08)) s.nobins = 1
  if (r.chance(0.25)) s.pol = { filterExpression: filterExp(r) }
  if (r.chance(0.15)) {
    const begin = r.int(0, 4095)
    s.part = [begin, r.int(1, 4096 - begin)]
  }
  const limited = r.chance(0.1)
  if (limited) s.max = r.int(1, 4)
  else if (r.chance(0.1)) {
    // Not on a context index: the official client (6.7.1) crashes the process on the second
    // page of a query whose filter has a context.
    const page = r.int(1, 3)
    if (!s.f?.[5]) s.page = page
  }
  return s
}

export function queryCase(r) {
  const steps = []
  for (let i = r.int(3, 8); i > 0; i--) steps.push(put(r))
  for (let i = r.int(1, 4); i > 0; i--) steps.push(r.chance(0.15) ? put(r) : query(r))
  return steps
}
