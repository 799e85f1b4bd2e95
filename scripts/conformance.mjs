// `npm run conformance`: runs the official `aerospike` npm client's own test suite (shipped in
// node_modules/aerospike/test) against the embedded server, or against AEROSPIKE_HOSTS, and
// compares the result with the tests that pass against a real Aerospike CE 8.0 server
// (../shared/conformance or conformance/baseline in this repository).
//
//   npm run conformance -- [--files get,put] [--list-missing] [--baseline <file>] [--json out.json] [--out dir]
//
// Each test file runs in its own mocha process (a file that cannot load fails alone), with the
// suite's test_helper loaded first as it is when mocha runs the whole directory.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const opt = (name) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const listMissing = args.includes('--list-missing')
const onlyFiles = opt('files')?.split(',')
// Each run works in its own directory so that several runs can go at once.
const work = opt('out') ?? path.join(root, 'conformance-out', `run-${process.pid}`)
const officialVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', 'aerospike', 'package.json'), 'utf8')).version
const pkg = path.join(root, 'node_modules', 'aerospike')
const baselineFile =
  opt('baseline') ??
  [path.join(root, 'conformance', 'official-suite-passing-on-real-ce-8.0.txt'), path.join(root, '..', 'shared', 'conformance', 'official-suite-passing-on-real-ce-8.0.txt')].find(existsSync)

/** The suites issue #2 is measured on (top-level describe titles). */
const CORE_SUITES = [
  'client.get()',
  'client.put()',
  'client.exists()',
  'client.existsWithMetadata()',
  'client.remove()',
  'client.select()',
  'Key #noserver',
  'client.batchRead()',
  'client.batchGet()',
  'client.batchExists()',
  'client.batchSelect()',
  'client.batchWrite()',
  'client.batchRemove()',
  'Info commands',
  'client.put(null bin)',
  'Plain Object Keys (for backward compatibility)',
]

function prepare() {
  rmSync(work, { recursive: true, force: true })
  const dest = path.join(work, 'aerospike')
  mkdirSync(dest, { recursive: true })
  // The suite imports ../lib/aerospike.js and reads ../package.json; link the installed package.
  symlinkSync(path.join(pkg, 'lib'), path.join(dest, 'lib'), 'dir')
  cpSync(path.join(pkg, 'package.json'), path.join(dest, 'package.json'))
  cpSync(path.join(pkg, 'test'), path.join(dest, 'test'), { recursive: true })
  // The suite's root hook asks the server for its version, features and namespace config without
  // waiting for the answer. Run as one mocha process, earlier files hide that; run file by file,
  // the first tests of each file would see "no features" and skip or expect old-server codes.
  // This root hook (registered after the suite's) waits for the answer.
  writeFileSync(
    path.join(dest, 'test', 'wait_for_server_info.js'),
    `const helper = require('./test_helper')
before(async function () {
  this.timeout(20000)
  const c = helper.cluster
  while (!(c.features && c.features.size > 0 && c.namespaceInfo)) await new Promise((r) => setTimeout(r, 20))
})
`,
  )
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(dest, 'test/tsconfig.json'), '--noEmitOnError', 'false'], {
    cwd: dest,
    encoding: 'utf8',
  })
  // Type errors in the suite (it targets newer typings) do not stop emission.
  if (!existsSync(path.join(dest, 'test', 'get.js'))) {
    console.error(tsc.stdout, tsc.stderr)
    throw new Error('compiling the official test suite failed')
  }
  return dest
}

/** The server on port 3000 when that is free (one metrics test checks the port the real server
 * used), else on any free port. */
async function startServer() {
  const build = spawnSync('cargo', ['build', '-q', '-p', 'aerospike-embedded-server'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('building the server failed')
  try {
    return await spawnServer('3000')
  } catch {
    return spawnServer('0')
  }
}

function spawnServer(port) {
  return new Promise((resolve, reject) => {
    const target = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target')
    const child = spawn(path.join(target, 'debug', 'aerospike-embedded-server'), ['--port', port, '--cluster-name', 'asd-local'], { stdio: ['ignore', 'pipe', 'ignore'] })
    let buf = ''
    child.stdout.on('data', (d) => {
      buf += d
      const m = /listening on (\S+)/.exec(buf)
      if (m) resolve({ child, address: m[1] })
    })
    child.on('exit', (code) => reject(new Error(`server exited (${code})`)))
  })
}

/** The suite's environment. On 127.0.0.1:3000 it runs with its own default host config (as
 * against the real server), so tests that read the configured port see 3000. */
function suiteEnv(hosts) {
  const env = { ...process.env, npm_package_version: officialVersion }
  if (hosts === '127.0.0.1:3000' && !process.env.AEROSPIKE_HOSTS) delete env.AEROSPIKE_HOSTS
  else env.AEROSPIKE_HOSTS = hosts
  return env
}

function runFile(dir, file, hosts) {
  return new Promise((resolve) => {
    const out = path.join(work, `${file}.json`)
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/mocha/bin/mocha.js'), '--reporter', 'json', '--reporter-option', `output=${out}`, '--timeout', '20000', '--exit', '--file', 'test/test_helper.js', '--file', 'test/wait_for_server_info.js', `test/${file}.js`],
      // npm_package_version: the suite reads it, as it runs under `npm test` in its own package.
      { cwd: dir, env: suiteEnv(hosts), stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000)
    child.on('exit', () => {
      clearTimeout(timer)
      let report = null
      try {
        report = JSON.parse(readFileSync(out, 'utf8'))
      } catch {
        report = null
      }
      resolve({ file, report, stderr })
    })
  })
}

function fullTitle(t) {
  return t.fullTitle
}

async function main() {
  const dir = prepare()
  let server = null
  let hosts = process.env.AEROSPIKE_HOSTS
  if (!hosts) {
    server = await startServer()
    hosts = server.address
  }
  console.log(`conformance: official aerospike client test suite against ${hosts}${server ? ' (embedded server)' : ''}`)
  const files = readdirSync(path.join(dir, 'test'))
    .filter((f) => f.endsWith('.js') && f !== 'test_helper.js')
    .map((f) => f.slice(0, -3))
    .filter((f) => !onlyFiles || onlyFiles.includes(f))
    .sort()

  const passedTitles = new Set()
  const passedFull = []
  const rows = []
  let totals = { passes: 0, failures: 0, pending: 0 }
  for (const file of files) {
    const { report, stderr } = await runFile(dir, file, hosts)
    if (!report) {
      rows.push({ file, passes: 0, failures: 0, pending: 0, note: `did not run: ${stderr.trim().split('\n').slice(-1)[0] ?? ''}` })
      continue
    }
    const s = report.stats
    // The baseline keeps only the first line of multi-line test titles.
    for (const t of report.passes) {
      passedTitles.add(t.fullTitle.split('\n')[0].replace(/\s+/g, ' ').trim())
      passedFull.push(t.fullTitle.replace(/\s+/g, ' ').trim())
    }
    rows.push({ file, passes: s.passes, failures: s.failures, pending: s.pending })
    totals = { passes: totals.passes + s.passes, failures: totals.failures + s.failures, pending: totals.pending + s.pending }
    console.log(`  ${file.padEnd(28)} ${String(s.passes).padStart(4)} passed ${String(s.failures).padStart(4)} failed ${String(s.pending).padStart(4)} pending`)
  }
  server?.child.kill('SIGTERM')
  console.log(`  ${'TOTAL'.padEnd(28)} ${String(totals.passes).padStart(4)} passed ${String(totals.failures).padStart(4)} failed ${String(totals.pending).padStart(4)} pending`)
  for (const r of rows.filter((r) => r.note)) console.log(`  ${r.file}: ${r.note}`)

  if (baselineFile) {
    // Baseline titles are "describe › … › it"; mocha's fullTitle joins with spaces.
    const baseline = readFileSync(baselineFile, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
    const norm = (t) => t.split(' › ').join(' ').replace(/\s+/g, ' ').trim()
    const suiteOf = (t) => t.split(' › ')[0]
    // Multi-line titles were split oddly in the baseline: fall back to "every part appears".
    const passed = (t) =>
      passedTitles.has(norm(t)) || passedFull.some((p) => t.split(' › ').every((part) => p.includes(part.replace(/\s+/g, ' ').trim())))
    const missing = baseline.filter((t) => !passed(t))
    const core = baseline.filter((t) => CORE_SUITES.includes(suiteOf(t)))
    const coreMissing = core.filter((t) => !passed(t))
    console.log(`\nbaseline (real CE 8.0): ${baseline.length - missing.length} of ${baseline.length} baseline-passing tests pass here`)
    console.log(`core suites (get/put/exists/remove/select/key/batch*/info): ${core.length - coreMissing.length} of ${core.length}`)
    const bySuite = new Map()
    for (const t of baseline) {
      const s = suiteOf(t)
      const e = bySuite.get(s) ?? { total: 0, pass: 0 }
      e.total++
      if (passedTitles.has(norm(t))) e.pass++
      bySuite.set(s, e)
    }
    console.log('\nper suite (passing here / passing on real CE 8.0):')
    for (const [s, e] of [...bySuite].sort((a, b) => b[1].total - a[1].total)) console.log(`  ${String(e.pass).padStart(4)} / ${String(e.total).padEnd(4)} ${s}`)
    if (listMissing) {
      console.log('\nbaseline-passing tests that fail here:')
      for (const t of missing) console.log(`  ${t}`)
    } else if (coreMissing.length) {
      console.log('\ncore-suite tests that fail here:')
      for (const t of coreMissing) console.log(`  ${t}`)
    }
    const json = opt('json')
    if (json) writeFileSync(json, JSON.stringify({ hosts, totals, rows, baseline: baseline.length, baselinePassing: baseline.length - missing.length, core: core.length, corePassing: core.length - coreMissing.length, missing }, null, 2))
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
