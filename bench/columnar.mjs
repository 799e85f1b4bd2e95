// The columnar workloads of `npm run bench`: columnar scans of 100,000 and 1,000,000 records, string columns
// by key and a columnar batch write, each against what the official client does for the same
// result (its record scan, batchRead and batchWrite). aerospike-napi runs the columnar call; the
// official client, which has none, runs its own. Seeded by `seedColumnar` (bench/seed.mjs).

export const NS = 'test'
export const SET = 'bench'
/** The set of the columnar scan: 100,000 records of the four numeric bins and a string. */
export const COLUMN_SCAN_SET = 'benchscan100k'
export const COLUMN_SCAN_RECORDS = 100_000
/**
 * The large columnar scan's namespace and set: 1,000,000 records of the same bins. Its own
 * namespace (`bar`, which the embedded server and the real-CE scripts' single node have), because
 * a set scan walks every record of its namespace: a million more in `test` would slow every other
 * scan row down.
 */
export const COLUMN_SCAN_1M_NS = 'bar'
export const COLUMN_SCAN_1M_SET = 'benchscan1m'
export const COLUMN_SCAN_1M_RECORDS = 1_000_000
/** Keys `t<i>` of SET hold three string bins each; keys `w<i>` are the columnar write's rows. */
export const STRING_KEYS = 1000
export const WRITE_ROWS = 1000

const CITIES = ['Lisbon', 'Reykjavik', 'Montevideo', 'Osaka', 'Nairobi', 'Tallinn', 'Quito', 'Perth']

/** The string bins of key `t<i>`. */
export function stringBins(i) {
  return { name: `user-${i}-${'x'.repeat(i % 16)}`, email: `user${i}@example.com`, city: CITIES[i % 8] }
}

/** The bins of scan record i: the four numeric bins and a label. */
export function scanBins(i) {
  return { a: i + 0.5, b: i * 2 + 0.25, c: i, d: i * 3, label: `row ${i}` }
}

/** Whether `mod` is aerospike-napi (the official package has no columnar calls). */
const isNapi = (mod) => typeof mod.toArrowTable === 'function'

function keys(mod, prefix, n) {
  return Array.from({ length: n }, (_, i) => new mod.Key(NS, SET, `${prefix}${i}`))
}

/** Counts the records of a scan through the official client's event stream. */
function officialScan(c, ns, set) {
  return officialRecords(c.scan(ns, set))
}

/** Counts the records of a query or scan through the official client's event stream. */
function officialRecords(q) {
  return new Promise((resolve, reject) => {
    let n = 0
    const stream = q.foreach()
    stream.on('data', () => n++)
    stream.on('error', reject)
    stream.on('end', () => resolve(n))
  })
}

/**
 * A workload streaming the `records` records of `ns`.`set` as objects: our async iterator (which
 * pulls from Rust only as records are consumed) against the official client's event stream. With
 * `indexedBin`, an index query finds them through the integer index on that bin (0..records-1).
 */
export function recordStream(ns, set, records, indexedBin, extra = {}) {
  return {
    inflight: 1,
    records,
    ...extra,
    setup: async (mod) => ({ mod }),
    op: async (c, s) => {
      let q = c.scan(ns, set)
      if (indexedBin) {
        q = c.query(ns, set)
        q.where(s.mod.filter.range(indexedBin, 0, records - 1))
      }
      let n = 0
      if (isNapi(s.mod)) for await (const _ of q) n++
      else n = await officialRecords(q)
      if (n !== records) throw new Error(`${indexedBin ? 'query' : 'scan'} returned ${n} records`)
    },
  }
}

/**
 * A columnar scan of `records` records of `ns`.`set`: aerospike-napi's scan.columns() in batches of
 * 8192 rows (a, b, c, d and the label); the official client: its record scan of the same set.
 */
function columnScan(ns, set, records) {
  return {
    inflight: 1,
    records,
    setup: async (mod) => ({ mod }),
    op: async (c, s) => {
      let n = 0
      if (isNapi(s.mod)) {
        const spec = { a: 'f64', b: 'f64', c: 'i64', d: 'i64', label: 'str' }
        for await (const batch of c.scan(ns, set).columns(spec, { rows: 8192 })) n += batch.length
      } else n = await officialScan(c, ns, set)
      if (n !== records) throw new Error(`scan returned ${n} records`)
    },
  }
}

export const COLUMNAR_WORKLOADS = {
  'scan-columns-100k': columnScan(NS, COLUMN_SCAN_SET, COLUMN_SCAN_RECORDS),
  // One op is a few seconds for the official client: one warm-up op, and only the first two
  // rounds, keep the default run's length sensible.
  'scan-columns-1m': { ...columnScan(COLUMN_SCAN_1M_NS, COLUMN_SCAN_1M_SET, COLUMN_SCAN_1M_RECORDS), warmOps: 1, rounds: 2 },
  // The same million records as objects: our record stream against the official one, and the
  // same found through the integer index on bin c (0..999,999; seeded with them).
  'scan-1m': recordStream(COLUMN_SCAN_1M_NS, COLUMN_SCAN_1M_SET, COLUMN_SCAN_1M_RECORDS, null, { warmOps: 1, rounds: 2 }),
  'query-1m': recordStream(COLUMN_SCAN_1M_NS, COLUMN_SCAN_1M_SET, COLUMN_SCAN_1M_RECORDS, 'c', { warmOps: 1, rounds: 2 }),
  // Three string bins of 1,000 keys: string columns against the official batchRead.
  'strings-by-key': {
    inflight: 1,
    records: STRING_KEYS,
    setup: async (mod) => {
      const ks = keys(mod, 't', STRING_KEYS)
      return { mod, keys: ks, records: ks.map((key) => ({ key, bins: ['name', 'email', 'city'] })) }
    },
    op: (c, s) => (isNapi(s.mod) ? c.batchReadColumns(s.keys, { name: 'str', email: 'str', city: 'str' }) : c.batchRead(s.records)),
  },
  // 1,000 records of two doubles, two integers and a string: batchWriteColumns against the
  // official batchWrite (its records built once, outside the timed op, as the columns are).
  'write-columns': {
    inflight: 1,
    records: WRITE_ROWS,
    // On the wire (and for the crate) this is one batch write of the same 1,000 rows.
    setup: async (mod) => {
      const ks = keys(mod, 'w', WRITE_ROWS)
      const rows = Array.from({ length: WRITE_ROWS }, (_, i) => scanBins(i))
      if (isNapi(mod)) {
        const columns = {
          a: Float64Array.from(rows, (r) => r.a),
          b: Float64Array.from(rows, (r) => r.b),
          c: BigInt64Array.from(rows, (r) => BigInt(r.c)),
          d: Int32Array.from(rows, (r) => r.d),
          label: rows.map((r) => r.label),
        }
        return { mod, keys: ks, columns }
      }
      const records = ks.map((key, i) => ({ type: mod.batchType.BATCH_WRITE, key, ops: Object.entries(rows[i]).map(([bin, v]) => mod.operations.write(bin, v)) }))
      return { mod, records }
    },
    op: async (c, s) => {
      if (isNapi(s.mod)) {
        const codes = await c.batchWriteColumns(s.keys, s.columns)
        if (codes.some((x) => x !== 0)) throw new Error('a row failed')
      } else await c.batchWrite(s.records)
    },
  },
}

/**
 * Writes the large scan's million records with `batchWriteColumns` (through aerospike-napi `mod`:
 * a few seconds, where record-by-record batches take minutes).
 */
export async function seedColumnScan1m(mod, client) {
  const chunk = 10_000
  for (let i = 0; i < COLUMN_SCAN_1M_RECORDS; i += chunk * 4) {
    await Promise.all(
      [0, 1, 2, 3].map(async (part) => {
        const start = i + part * chunk
        const rows = Array.from({ length: chunk }, (_, j) => scanBins(start + j))
        const keys = rows.map((_, j) => new mod.Key(COLUMN_SCAN_1M_NS, COLUMN_SCAN_1M_SET, start + j))
        const codes = await client.batchWriteColumns(keys, {
          a: Float64Array.from(rows, (r) => r.a),
          b: Float64Array.from(rows, (r) => r.b),
          c: BigInt64Array.from(rows, (r) => BigInt(r.c)),
          d: BigInt64Array.from(rows, (r) => BigInt(r.d)),
          label: rows.map((r) => r.label),
        }, { totalTimeout: 30_000 })
        if (codes.some((x) => x !== 0)) throw new Error('seeding the 1M scan set failed')
      }),
    )
  }
  // query-1m finds them through an integer index on bin c.
  try {
    const job = await client.createIntegerIndex({ ns: COLUMN_SCAN_1M_NS, set: COLUMN_SCAN_1M_SET, bin: 'c', index: `${COLUMN_SCAN_1M_SET}_c` })
    await job.wait(100)
  } catch (e) {
    // An index of that name already exists (a server seeded before).
    if (e.code !== 200) throw e
  }
}

/** Writes the columnar workloads' records (through whichever client `mod` is). */
export async function seedColumnar(mod, client) {
  const strKeys = keys(mod, 't', STRING_KEYS)
  for (let i = 0; i < strKeys.length; i += 100) {
    await Promise.all(strKeys.slice(i, i + 100).map((k, j) => client.put(k, stringBins(i + j))))
  }
  const batch = 500
  for (let i = 0; i < COLUMN_SCAN_RECORDS; i += batch) {
    await client.batchWrite(
      Array.from({ length: batch }, (_, j) => ({
        type: mod.batchType.BATCH_WRITE,
        key: new mod.Key(NS, COLUMN_SCAN_SET, i + j),
        ops: Object.entries(scanBins(i + j)).map(([bin, v]) => mod.operations.write(bin, v)),
      })),
    )
  }
}
