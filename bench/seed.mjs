// Writes the benchmark data set through the official client (so neither client under test
// pays for it): 10,000 single-record keys `s<i>`, the 1,000 batch keys `b<i>` and 10,000 records
// of the scan set, four numeric bins each, with an integer index on its bin c (and the columnar workloads' records: bench/columnar.mjs;
// the million records of the large columnar scan go through aerospike-napi's columnar write, and
// only to the plaintext server, where that scan runs, and only when the run has that workload:
// its namespace `bar` may not exist, e.g. on a cluster made for the sweep).
// A TLS server (`addr:tlsname:port`, CA file in BENCH_TLS_CAFILE) is written through
// aerospike-napi, whose TLS settings need no OpenSSL build.
//   node bench/seed.mjs <host:port | host:tlsname:port> [workload,…]
import { createRequire } from 'node:module'
import { SCAN_RECORDS, SCAN_SET, binsFor, makeKeys } from './workloads.mjs'
import { seedColumnar, seedColumnScan1m } from './columnar.mjs'

const require = createRequire(import.meta.url)
const parts = process.argv[2].split(':')
const tls = parts.length === 3
const Aerospike = tls ? require('../index.js') : require('aerospike')
const config = tls
  ? { hosts: [{ addr: parts[0], tlsname: parts[1], port: Number(parts[2]) }], tls: { cafile: process.env.BENCH_TLS_CAFILE } }
  : { hosts: [{ addr: parts[0], port: Number(parts[1]) }] }
const client = await Aerospike.connect({ ...config, maxConnsPerNode: 128 })
const keys = [...makeKeys(Aerospike, 10_000, 's'), ...makeKeys(Aerospike, 1000, 'b')]
for (let i = 0; i < keys.length; i += 100) {
  await Promise.all(keys.slice(i, i + 100).map((k, j) => client.put(k, binsFor(i + j))))
}
// The scan workload's set: 10,000 records of four numeric bins.
const scanKeys = Array.from({ length: SCAN_RECORDS }, (_, i) => new Aerospike.Key('test', SCAN_SET, i))
for (let i = 0; i < scanKeys.length; i += 100) {
  await Promise.all(scanKeys.slice(i, i + 100).map((k, j) => client.put(k, binsFor(i + j))))
}
// The index query-10k finds the scan set's records through (bin c holds 0..9999).
try {
  const job = await client.createIntegerIndex({ ns: 'test', set: SCAN_SET, bin: 'c', index: `${SCAN_SET}_c` })
  await job.wait(50)
} catch (e) {
  // An index of that name already exists (a server seeded before).
  if (e.code !== 200) throw e
}
await seedColumnar(Aerospike, client)
await client.close()
const workloads = process.argv[3]?.split(',')
if (!tls && (!workloads || workloads.some((w) => ['scan-columns-1m', 'scan-1m', 'query-1m'].includes(w)))) {
  const napi = require('../index.js')
  const writer = await napi.connect(config)
  await seedColumnScan1m(napi, writer)
  await writer.close()
}
