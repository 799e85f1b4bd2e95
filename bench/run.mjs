// `npm run bench`: the same workloads through the official `aerospike` package, aerospike-napi
// and the `aerospike` Rust crate directly (the ceiling), against one server, side by side in
// one run. Every measurement runs in its own process; the clients alternate inside each round
// so drift hits all of them alike; the reported value is the median over the rounds.
//
//   npm run bench -- [--runs 5] [--duration 2000] [--workloads get-1,batch-columns]
//                    [--clients official,aerospike-napi,rust-ceiling] [--no-build]
//
// Uses AEROSPIKE_HOSTS when set, otherwise starts the embedded server (release build) in its
// own process. Writes bench/results/latest.json and bench/results/chart.svg.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderChart } from './chart.mjs'
import { WORKLOADS } from './workloads.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = parseArgs(process.argv.slice(2))
const runs = Number(args.runs ?? 5)
const duration = Number(args.duration ?? 2000)
const workloads = (args.workloads ?? Object.keys(WORKLOADS).join(',')).split(',')
const clients = (args.clients ?? 'official,aerospike-napi,rust-ceiling').split(',')
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target')
const exe = (name) => path.join(targetDir, 'release', name + (process.platform === 'win32' ? '.exe' : ''))

function parseArgs(argv) {
  const out = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) continue
    const name = a.slice(2)
    if (name.startsWith('no-')) out[name.slice(3)] = false
    else out[name] = argv[++i]
  }
  return out
}

function must(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed`)
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(exe('aerospike-embedded-server'), ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
    let buf = ''
    child.stdout.on('data', (d) => {
      buf += d
      const m = /listening on (\S+)/.exec(buf)
      if (m) resolve({ child, address: m[1] })
    })
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
}

function measure(client, workload, hosts) {
  const [cmd, argv] =
    client === 'rust-ceiling'
      ? [exe('aerospike-bench-ceiling'), [workload, hosts, String(duration)]]
      : [process.execPath, [path.join(root, 'bench/worker.mjs'), client === 'official' ? 'official' : 'napi', workload, hosts, String(duration)]]
  const started = process.hrtime.bigint()
  const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', timeout: duration + 120_000 })
  if (r.status !== 0) {
    console.error(`  ${client} ${workload} failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`)
    return null
  }
  const line = r.stdout.trim().split('\n').pop()
  const res = JSON.parse(line)
  // The ceiling reports its own CPU time and peak RSS (from /proc; null where that is missing).
  if (client === 'rust-ceiling') res.wallMs = Number(process.hrtime.bigint() - started) / 1e6
  res.cpuUsPerOp ??= NaN
  res.peakRssMb ??= NaN
  res.client = client
  return res
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b)
  if (!s.length) return NaN
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

async function main() {
  if (args.build !== false) {
    must('cargo', ['build', '--release', '-p', 'aerospike-embedded-server', '-p', 'aerospike-bench-ceiling'])
    must('npm', ['run', '--silent', 'build:native:release'])
    must('npm', ['run', '--silent', 'build:ts'])
  }
  let server = null
  let hosts = process.env.AEROSPIKE_HOSTS?.split(',')[0]
  if (!hosts) {
    server = await startServer()
    hosts = server.address
  }
  console.log(`server ${hosts}${server ? ' (embedded, own process)' : ''}; ${runs} rounds × ${duration} ms per measurement`)
  must(process.execPath, [path.join(root, 'bench/seed.mjs'), hosts])

  const samples = []
  for (let round = 1; round <= runs; round++) {
    for (const w of workloads) {
      for (const c of clients) {
        const only = WORKLOADS[w]?.onlyFor
        if (only && c !== 'rust-ceiling' && !only.includes(c)) continue
        const r = measure(c, w, hosts)
        if (r) samples.push({ round, ...r })
      }
    }
    console.log(`round ${round}/${runs} done`)
  }
  server?.child.kill('SIGTERM')

  const summary = []
  for (const w of workloads) {
    for (const c of clients) {
      const xs = samples.filter((s) => s.workload === w && s.client === c)
      if (!xs.length) continue
      summary.push({
        workload: w,
        client: c,
        runs: xs.length,
        recordsPerSec: median(xs.map((s) => s.recordsPerSec)),
        opsPerSec: median(xs.map((s) => s.opsPerSec)),
        p50Ms: median(xs.map((s) => s.p50Ms)),
        p99Ms: median(xs.map((s) => s.p99Ms)),
        cpuUsPerOp: median(xs.map((s) => s.cpuUsPerOp)),
        peakRssMb: median(xs.map((s) => s.peakRssMb)),
        errors: xs.reduce((a, s) => a + (s.errors || 0), 0),
      })
    }
  }
  for (const row of summary) {
    // batch-columns is compared with the official client's object batch read of the same keys.
    const baseW = row.workload === 'batch-columns' ? 'batch-objects' : row.workload
    const base = summary.find((s) => s.workload === baseW && s.client === 'official')
    row.ratio = base ? row.recordsPerSec / base.recordsPerSec : NaN
    const ceil = summary.find((s) => s.workload === row.workload && s.client === 'rust-ceiling')
    row.ofCeiling = ceil ? row.recordsPerSec / ceil.recordsPerSec : NaN
  }

  const f = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '–')
  const header = '| workload | client | records/s | vs official | of ceiling | p50 ms | p99 ms | CPU µs/op | peak RSS MB |'
  const lines = [header, '|---|---|---:|---:|---:|---:|---:|---:|---:|']
  for (const r of summary) {
    lines.push(
      `| ${r.workload} | ${r.client} | ${f(r.recordsPerSec)} | ${f(r.ratio, 2)}× | ${f(r.ofCeiling * 100)}% | ${f(r.p50Ms, 3)} | ${f(r.p99Ms, 3)} | ${f(r.cpuUsPerOp, 1)} | ${f(r.peakRssMb)} |`,
    )
  }
  const table = lines.join('\n')
  console.log('\n' + table)
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${process.platform}-${process.arch}, Node ${process.version}`
  console.log(`\nmachine: ${machine}`)

  const outDir = path.join(root, 'bench/results')
  mkdirSync(outDir, { recursive: true })
  writeFileSync(
    path.join(outDir, 'latest.json'),
    JSON.stringify({ date: new Date().toISOString(), machine, hosts, runs, durationMs: duration, summary, samples }, null, 2),
  )
  writeFileSync(path.join(outDir, 'latest.md'), table + `\n\nmachine: ${machine}\n`)
  writeFileSync(path.join(outDir, 'chart.svg'), renderChart(summary, `aerospike-napi benchmark (median of ${runs} rounds)`))
  console.log(`wrote ${path.relative(root, outDir)}/latest.json, latest.md, chart.svg`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
