// The benchmark workloads, written once against the API that aerospike-napi shares with the
// official `aerospike` package. Each workload returns an async `op()` that does one unit of
// work and reports how many records it touched (1 for single-record commands, N for a batch).

import { COLUMNAR_WORKLOADS, recordStream } from './columnar.mjs'

export const NS = 'test'
export const SET = 'bench'
export const BATCH_KEYS = 1000
export const BINS = ['a', 'b', 'c', 'd']
export const SCAN_SET = 'benchscan'
export const SCAN_RECORDS = 10_000

/** Keys 0..n-1 of the benchmark set, built with the given client module's Key class. */
export function makeKeys(mod, n, prefix = 'k') {
  const keys = new Array(n)
  for (let i = 0; i < n; i++) keys[i] = new mod.Key(NS, SET, `${prefix}${i}`)
  return keys
}

/** Four numeric bins per record: two doubles, two integers. */
export function binsFor(i) {
  return { a: i + 0.5, b: i * 2 + 0.25, c: i, d: i * 3 }
}

/** The concurrency sweep: `get`, `put` and `operate` at each of these numbers of commands in flight. */
export const SWEEP_LEVELS = [1, 4, 16, 64, 256]
export const SWEEP_COMMANDS = ['get', 'put', 'operate']

/** The commands measured over TLS too (`get-256-tls`, `put-256-tls`). */
export const TLS_COMMANDS = ['get', 'put']
/** The TLS workloads, each against its plaintext workload of the same command and level. */
export const TLS_WORKLOADS = TLS_COMMANDS.map((cmd) => `${cmd}-256-tls`)

/** One op of each single-record command; `i` picks the key (and the put's values). */
const SINGLE = {
  get: (c, s, i) => c.get(s.keys[i % s.keys.length]),
  put: (c, s, i) => c.put(s.keys[i % s.keys.length], binsFor(i)),
  operate: (c, s, i) =>
    c.operate(s.keys[i % s.keys.length], [s.mod.operations.incr('c', 1), s.mod.operations.read('a')]),
}

/** `get-1` … `operate-256`: the sweep's workloads, named `<command>-<in flight>`. */
export const SWEEP_WORKLOADS = SWEEP_COMMANDS.flatMap((cmd) => SWEEP_LEVELS.map((n) => `${cmd}-${n}`))

/**
 * Workload table. `setup` runs once (untimed) and returns the state `op` uses; `inflight` is
 * how many `op` loops run concurrently; `records` is the number of records one op touches.
 */
export const WORKLOADS = {
  ...Object.fromEntries(
    SWEEP_COMMANDS.flatMap((cmd) =>
      SWEEP_LEVELS.map((n) => [`${cmd}-${n}`, { inflight: n, records: 1, setup: singleKeys, op: SINGLE[cmd] }]),
    ),
  ),
  // get and put at 256 in flight over TLS, against a second embedded server that serves only TLS
  // (certificates made by openssl when the run starts); compared with the plaintext rows.
  ...Object.fromEntries(
    TLS_COMMANDS.map((cmd) => [
      `${cmd}-256-tls`,
      { inflight: 256, records: 1, tls: true, onlyFor: ['aerospike-napi'], setup: singleKeys, op: SINGLE[cmd] },
    ]),
  ),
  'batch-objects': {
    inflight: 1,
    records: BATCH_KEYS,
    setup: batchKeys,
    op: (c, s) => c.batchRead(s.batchRecords),
  },
  'batch-columns': {
    inflight: 1,
    records: BATCH_KEYS,
    onlyFor: ['aerospike-napi'],
    setup: batchKeys,
    op: (c, s) => c.batchReadColumns(s.keys, { a: 'f64', b: 'f64', c: 'i64', d: 'i64' }),
  },
  // The 10,000 records of SCAN_SET streamed by a scan, and found through the integer index on
  // bin c (bench/seed.mjs makes it): a secondary-index query, streamed as the scan is.
  'scan-10k': recordStream(NS, SCAN_SET, SCAN_RECORDS, null),
  'query-10k': recordStream(NS, SCAN_SET, SCAN_RECORDS, 'c'),
  ...COLUMNAR_WORKLOADS,
}

async function singleKeys(mod) {
  return { mod, keys: makeKeys(mod, 10_000, 's') }
}

async function batchKeys(mod) {
  const keys = makeKeys(mod, BATCH_KEYS, 'b')
  return { mod, keys, batchRecords: keys.map((key) => ({ key, readAllBins: true })) }
}
