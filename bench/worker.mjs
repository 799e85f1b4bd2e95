// One measurement: runs one workload with one client for a fixed time in its own process, so
// CPU time and peak RSS belong to that client alone. Prints one JSON line on stdout.
//   node bench/worker.mjs <client> <workload> <hosts> <durationMs>
// <hosts> is `addr:port`, or `addr:tlsname:port` for a TLS server whose CA file is in
// BENCH_TLS_CAFILE.
import { createRequire } from 'node:module'
import { WORKLOADS } from './workloads.mjs'

const require = createRequire(import.meta.url)
const [clientName, workloadName, hosts, durationArg] = process.argv.slice(2)
const durationMs = Number(durationArg || 2000)
const workload = WORKLOADS[workloadName]
if (!workload) throw new Error(`unknown workload ${workloadName}`)

const mod = clientName === 'official' ? require('aerospike') : require('../index.js')
const parts = hosts.split(':')
const [host, port, tlsname] = parts.length === 3 ? [parts[0], parts[2], parts[1]] : parts
const config = {
  hosts: [{ addr: host, port: Number(port), ...(tlsname ? { tlsname } : {}) }],
  ...(tlsname ? { tls: { cafile: process.env.BENCH_TLS_CAFILE } } : {}),
  maxConnsPerNode: 512,
  policies: {
    read: { totalTimeout: 5000 },
    write: { totalTimeout: 5000 },
    operate: { totalTimeout: 5000 },
    batch: { totalTimeout: 10000 },
  },
}

const client = await mod.connect(config)
const state = await workload.setup(mod, client)
// Warm up (connections, JIT) outside the timed window, at the workload's concurrency: one op at a
// time would open a single connection, and the timed window would then pay for opening the rest
// (over TLS a handshake each: seconds at 256 in flight).
// The warm-up also runs for at least WARM_MS, so that the JIT has compiled the client's code
// before the window opens: a few ops (4 at one in flight) leave the compiling inside it, where
// at a low rate (one in flight against a cluster: a few thousand ops per window) it weighs on
// the CPU per op of a client written mostly in JavaScript more than on one written in C.
// A workload whose one op takes seconds (a scan of a million records) sets its own `warmOps`.
const warmOps = workload.warmOps ?? Math.min(workload.inflight * 4, 2000)
const WARM_MS = 500
const warmEnd = workload.warmOps === undefined ? performance.now() + WARM_MS : 0
let warmed = 0
await Promise.all(
  Array.from({ length: workload.inflight }, async () => {
    while (warmed < warmOps || performance.now() < warmEnd) await workload.op(client, state, warmed++)
  }),
)

const latencies = new Float64Array(4_000_000)
let nLat = 0
let ops = 0
let errors = 0
let counter = 0
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const deadline = t0 + durationMs

async function loop() {
  while (performance.now() < deadline) {
    const i = counter++
    const start = performance.now()
    try {
      await workload.op(client, state, i)
      ops++
    } catch {
      errors++
    }
    if (nLat < latencies.length) latencies[nLat++] = performance.now() - start
  }
}
await Promise.all(Array.from({ length: workload.inflight }, loop))
const elapsedMs = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
await client.close()

const lat = latencies.subarray(0, nLat).sort()
const pct = (p) => (nLat ? lat[Math.min(nLat - 1, Math.floor((p / 100) * nLat))] : NaN)
const records = ops * workload.records
process.stdout.write(
  JSON.stringify({
    client: clientName,
    workload: workloadName,
    ops,
    errors,
    records,
    elapsedMs,
    opsPerSec: (ops / elapsedMs) * 1000,
    recordsPerSec: (records / elapsedMs) * 1000,
    p50Ms: pct(50),
    p99Ms: pct(99),
    cpuUsPerOp: ops ? (cpu.user + cpu.system) / ops : NaN,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
)
process.exit(0)
