// Turns the benchmark's samples into its tables: medians per workload and client, each row's
// ratios to the official client and its share of the wire ceiling, and the concurrency sweep
// (get, put and operate at every level) as one table.
import { SWEEP_COMMANDS, WORKLOADS } from './workloads.mjs'

/** The clients a run can measure, in table order. */
export const CLIENTS = ['official', 'aerospike-napi', 'rust-crate', 'wire']

/** `get-16` → { command: 'get', inflight: 16 }; null for a workload outside the sweep. */
export function sweepPoint(workload) {
  const m = /^([a-z]+)-(\d+)$/.exec(workload)
  return m && SWEEP_COMMANDS.includes(m[1]) ? { command: m[1], inflight: Number(m[2]) } : null
}

export const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b)
  if (!s.length) return NaN
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** One row per workload and client: medians over the rounds, then the ratios. */
export function summarize(samples, workloads, clients) {
  const summary = []
  for (const w of workloads) {
    for (const c of clients) {
      const xs = samples.filter((s) => s.workload === w && s.client === c)
      if (!xs.length) continue
      const med = (k) => median(xs.map((s) => s[k]))
      summary.push({
        workload: w,
        client: c,
        runs: xs.length,
        recordsPerSec: med('recordsPerSec'),
        opsPerSec: med('opsPerSec'),
        p50Ms: med('p50Ms'),
        p99Ms: med('p99Ms'),
        cpuUsPerOp: med('cpuUsPerOp'),
        peakRssMb: med('peakRssMb'),
        errors: xs.reduce((a, s) => a + (s.errors || 0), 0),
      })
    }
  }
  for (const row of summary) {
    // batch-columns is compared with the official client's object batch read of the same keys.
    const baseW = row.workload === 'batch-columns' ? 'batch-objects' : row.workload
    const base = summary.find((s) => s.workload === baseW && s.client === 'official')
    row.ratio = base ? row.recordsPerSec / base.recordsPerSec : NaN
    row.cpuRatio = base ? row.cpuUsPerOp / base.cpuUsPerOp : NaN
    const wire = summary.find((s) => s.workload === row.workload && s.client === 'wire')
    row.ofWire = wire ? row.recordsPerSec / wire.recordsPerSec : NaN
  }
  for (const row of summary.filter((r) => WORKLOADS[r.workload]?.tls)) {
    const plain = summary.find((s) => s.workload === plainOf(row.workload) && s.client === row.client)
    row.ofPlain = plain ? row.recordsPerSec / plain.recordsPerSec : NaN
  }
  return summary
}

const f = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '–')

/** The main table: every workload and client. */
export function summaryTable(summary) {
  const lines = [
    '| workload | client | records/s | vs official | of wire | p50 ms | p99 ms | CPU µs/op | CPU vs official | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const r of summary) {
    lines.push(
      `| ${r.workload} | ${r.client} | ${f(r.recordsPerSec)} | ${f(r.ratio, 2)}× | ${f(r.ofWire * 100)}% | ${f(r.p50Ms, 3)} | ${f(r.p99Ms, 3)} | ${f(r.cpuUsPerOp, 1)} | ${f(r.cpuRatio, 2)}× | ${f(r.peakRssMb)} |`,
    )
  }
  return lines.join('\n')
}

/** `get-256-tls` → `get-256`: the plaintext workload a TLS row is compared with. */
export const plainOf = (workload) => workload.replace(/-tls$/, '')

/** The TLS rows against the plaintext rows of the same client, command and level. */
export function tlsTable(summary) {
  const rows = summary.filter((r) => Number.isFinite(r.ofPlain))
  if (!rows.length) return ''
  const lines = [
    '| workload | client | plaintext ops/s | TLS ops/s | TLS / plaintext | TLS p50 ms | TLS p99 ms | TLS CPU µs/op |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ]
  for (const r of rows) {
    lines.push(
      `| ${r.workload} | ${r.client} | ${f(r.opsPerSec / r.ofPlain)} | ${f(r.opsPerSec)} | ${f(r.ofPlain, 2)}× | ${f(r.p50Ms, 3)} | ${f(r.p99Ms, 3)} | ${f(r.cpuUsPerOp, 1)} |`,
    )
  }
  return lines.join('\n')
}

/** The sweep's rows: one per command and level that the summary holds, ops/s per client. */
export function sweepRows(summary) {
  const rows = []
  for (const r of summary) {
    const p = sweepPoint(r.workload)
    if (!p) continue
    let row = rows.find((x) => x.workload === r.workload)
    if (!row) {
      row = { workload: r.workload, ...p, ops: {}, cpu: {} }
      rows.push(row)
    }
    row.ops[r.client] = r.opsPerSec
    row.cpu[r.client] = r.cpuUsPerOp
  }
  const order = (x) => SWEEP_COMMANDS.indexOf(x.command) * 1e6 + x.inflight
  return rows.sort((a, b) => order(a) - order(b))
}

/** The sweep as one table: ops/s of each client at each level, ours against official and wire. */
export function sweepTable(rows) {
  const lines = [
    '| command | in flight | aerospike-napi ops/s | official ops/s | rust-crate ops/s | wire ops/s | ours / official | ours of wire | CPU µs/op ours / official |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const r of rows) {
    const [ours, off] = [r.ops['aerospike-napi'], r.ops.official]
    lines.push(
      `| ${r.command} | ${r.inflight} | ${f(ours)} | ${f(off)} | ${f(r.ops['rust-crate'])} | ${f(r.ops.wire)} | ${f(ours / off, 2)}× | ${f((ours / r.ops.wire) * 100)}% | ${f(r.cpu['aerospike-napi'], 1)} / ${f(r.cpu.official, 1)} |`,
    )
  }
  return lines.join('\n')
}
