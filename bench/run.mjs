// `npm run bench`: the same workloads through the official `aerospike` package, aerospike-napi,
// the `aerospike` Rust crate driven from Rust (rust-crate) and the wire ceiling (wire: the same
// requests pre-encoded and replayed over raw sockets, the limit of the server and loopback),
// against one server or cluster, side by side in one run. Every measurement runs in its own
// process; the clients alternate inside each round so drift hits all of them alike; the reported
// value is the median over the rounds.
//
//   npm run bench -- [--hosts 127.0.0.1:3000[,…]] [--runs 5] [--duration 2000] [--sweep]
//                    [--workloads get-1,batch-columns] [--clients official,aerospike-napi,rust-crate,wire]
//                    (also aerospike-napi-tokio: this package with the event-loop path off)
//                    [--no-build]
//
// --hosts (or else AEROSPIKE_HOSTS) names a running server, any node of a cluster; without it the
// embedded server (release build) is started in its own process. --sweep runs only the
// concurrency sweep (get, put and operate at 1, 4, 16, 64 and 256 in flight). The TLS rows
// (get-256-tls, put-256-tls: aerospike-napi only) run against a second embedded server that
// serves TLS, with certificates made by openssl for the run; they need the embedded servers (not
// --hosts) and are reported against the plaintext rows of the same run. Writes
// bench/results/latest.json, latest.md, chart.svg and, when the run has sweep workloads, sweep.svg.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderChart } from './chart.mjs'
import { CLIENTS, summarize, summaryTable, sweepRows, sweepTable, tlsTable } from './summary.mjs'
import { renderSweepChart } from './sweep-chart.mjs'
import { makeCertificates, TLS_NAME } from './tls.mjs'
import { SWEEP_WORKLOADS, WORKLOADS } from './workloads.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = parseArgs(process.argv.slice(2))
const runs = Number(args.runs ?? 5)
const duration = Number(args.duration ?? 2000)
const workloads = args.workloads?.split(',') ?? (args.sweep !== undefined ? SWEEP_WORKLOADS : Object.keys(WORKLOADS))
const clients = args.clients?.split(',') ?? CLIENTS
/** The Rust programs, by client name: both take `<workload> <hosts> <duration-ms>`. */
const RUST_CLIENTS = { 'rust-crate': 'aerospike-bench-ceiling', wire: 'aerospike-bench-wire' }
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target')
const exe = (name) => path.join(targetDir, 'release', name + (process.platform === 'win32' ? '.exe' : ''))

function parseArgs(argv) {
  const out = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) continue
    const name = a.slice(2)
    if (name.startsWith('no-')) out[name.slice(3)] = false
    else if (name === 'sweep') out.sweep = true
    else out[name] = argv[++i]
  }
  return out
}

function must(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed`)
}

function startServer(extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(exe('aerospike-embedded-server'), ['--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] })
    let buf = ''
    child.stdout.on('data', (d) => {
      buf += d
      const m = /listening on (\S+)/.exec(buf)
      if (m) resolve({ child, address: m[1] })
    })
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
}

// The Node workers take the first host as their seed; the Rust programs take the whole list.
// A TLS workload goes to the TLS server (`tls`: its seed and CA file).
function measure(client, workload, hosts, tls) {
  const rust = RUST_CLIENTS[client]
  const seed = WORKLOADS[workload]?.tls ? tls.seed : hosts.split(',')[0]
  const [cmd, argv] = rust
    ? [exe(rust), [workload, hosts, String(duration)]]
    : [process.execPath, [path.join(root, 'bench/worker.mjs'), client === 'official' ? 'official' : 'napi', workload, seed, String(duration)]]
  // aerospike-napi-tokio (opt-in with --clients): this package with every single-record command
  // on the Tokio path, to compare the event-loop path with it in one run.
  const env = {
    ...process.env,
    ...(client === 'aerospike-napi-tokio' ? { AEROSPIKE_NAPI_PATH: 'tokio' } : {}),
    ...(tls ? { BENCH_TLS_CAFILE: tls.cafile } : {}),
  }
  const started = process.hrtime.bigint()
  const r = spawnSync(cmd, argv, { cwd: root, env, encoding: 'utf8', timeout: duration + 120_000 })
  if (r.status !== 0) {
    console.error(`  ${client} ${workload} failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`)
    return null
  }
  const line = r.stdout.trim().split('\n').pop()
  const res = JSON.parse(line)
  // The Rust programs report their own CPU time and peak RSS (from /proc; null where that is missing).
  if (rust) res.wallMs = Number(process.hrtime.bigint() - started) / 1e6
  res.cpuUsPerOp ??= NaN
  res.peakRssMb ??= NaN
  res.client = client
  return res
}

// With --no-build the run measures whatever addon sits next to index.js, and `npm run
// build:native` (the debug build the tests use) writes that same file: say so when it is not the
// release build (the release library napi-rs built has another size).
function warnUnlessReleaseAddon() {
  const addon = readdirSync(root).find((f) => /^aerospike-napi\..+\.node$/.test(f))
  if (!addon) return
  const size = statSync(path.join(root, addon)).size
  const libs = ['release', ...readdirSync(targetDir).map((d) => path.join(d, 'release'))]
    .map((d) => path.join(targetDir, d))
    .flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => /^(lib)?aerospike_napi\.(so|dylib|dll)$/.test(f)).map((f) => path.join(d, f)) : []))
  if (!libs.some((l) => statSync(l).size === size)) {
    console.warn(`warning: ${addon} is not the release build (run without --no-build, or \`npm run build:native:release\` first)`)
  }
}

async function main() {
  if (args.build === false) warnUnlessReleaseAddon()
  if (args.build !== false) {
    must('cargo', ['build', '--release', '-p', 'aerospike-embedded-server', '-p', 'aerospike-bench-ceiling'])
    must('npm', ['run', '--silent', 'build:native:release'])
    must('npm', ['run', '--silent', 'build:ts'])
  }
  let server = null
  let hosts = args.hosts ?? process.env.AEROSPIKE_HOSTS
  if (!hosts) {
    server = await startServer()
    hosts = server.address
  }
  console.log(`server ${hosts}${server ? ' (embedded, own process)' : ''}; ${runs} rounds × ${duration} ms per measurement`)
  must(process.execPath, [path.join(root, 'bench/seed.mjs'), hosts.split(',')[0], workloads.join(',')])
  let tls = null
  if (workloads.some((w) => WORKLOADS[w]?.tls)) {
    if (server) {
      const certs = makeCertificates()
      const tlsServer = await startServer(certs.serverArgs)
      tls = { certs, server: tlsServer, cafile: certs.cafile, seed: tlsServer.address.replace(':', `:${TLS_NAME}:`) }
      console.log(`TLS server ${tls.seed} (embedded, own process)`)
      const seeded = spawnSync(process.execPath, [path.join(root, 'bench/seed.mjs'), tls.seed], {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, BENCH_TLS_CAFILE: tls.cafile },
      })
      if (seeded.status !== 0) throw new Error('seeding the TLS server failed')
    } else {
      console.log('TLS rows skipped: they need the embedded servers (run without --hosts)')
    }
  }

  const samples = []
  for (let round = 1; round <= runs; round++) {
    for (const w of workloads) {
      for (const c of clients) {
        // A long workload (scan-columns-1m) runs in its first `rounds` rounds only.
        if (round > (WORKLOADS[w]?.rounds ?? Number.POSITIVE_INFINITY)) continue
        const only = WORKLOADS[w]?.onlyFor
        // The Rust rows run every workload: on the wire, batch-columns is the same batch read.
        if (only && !RUST_CLIENTS[c] && !only.includes(c)) continue
        // The Rust programs speak plain TCP only.
        if (WORKLOADS[w]?.tls && (RUST_CLIENTS[c] || !tls)) continue
        const r = measure(c, w, hosts, tls)
        if (r) samples.push({ round, ...r })
      }
    }
    console.log(`round ${round}/${runs} done`)
  }
  server?.child.kill('SIGTERM')
  tls?.server.child.kill('SIGTERM')
  tls?.certs.remove()

  const summary = summarize(samples, workloads, clients)
  const sweep = sweepRows(summary)
  const tlsRows = tlsTable(summary)
  const table = summaryTable(summary) + (sweep.length ? '\n\n' + sweepTable(sweep) : '') + (tlsRows ? '\n\n' + tlsRows : '')
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
  writeFileSync(path.join(outDir, 'chart.svg'), renderChart(summary.filter((r) => !WORKLOADS[r.workload]?.tls), `aerospike-napi benchmark (median of ${runs} rounds)`))
  const written = ['latest.json', 'latest.md', 'chart.svg']
  if (sweep.length) {
    const title = `get, put, operate by commands in flight (median of ${runs} rounds)`
    writeFileSync(path.join(outDir, 'sweep.svg'), renderSweepChart(sweep, title))
    written.push('sweep.svg')
  }
  console.log(`wrote ${path.relative(root, outDir)}/${written.join(', ')}`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
