// Writes the benchmark data set through the official client (so neither client under test
// pays for it): 10,000 single-record keys `s<i>` and the 1,000 batch keys `b<i>`, four numeric bins.
//   node bench/seed.mjs <host:port>
import { createRequire } from 'node:module'
import { binsFor, makeKeys } from './workloads.mjs'

const require = createRequire(import.meta.url)
const Aerospike = require('aerospike')
const [host, port] = process.argv[2].split(':')
const client = await Aerospike.connect({ hosts: [{ addr: host, port: Number(port) }], maxConnsPerNode: 128 })
const keys = [...makeKeys(Aerospike, 10_000, 's'), ...makeKeys(Aerospike, 1000, 'b')]
for (let i = 0; i < keys.length; i += 100) {
  await Promise.all(keys.slice(i, i + 100).map((k, j) => client.put(k, binsFor(i + j))))
}
await client.close()
