// Runs the official `aerospike` npm package's own test suite (shipped in node_modules/aerospike/test)
// file by file, each in its own mocha process (a file that cannot load fails alone), and compares
// the result with the tests that pass against a real Aerospike CE 8.0 server. Two uses:
//   - conformance (`npm run conformance`): the official client against the embedded server;
//   - compat (`npm run compat`): this package in place of the official client.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const pkg = path.join(root, 'node_modules', 'aerospike')
const officialVersion = () => JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')).version

export function parseArgs(argv) {
  const opt = (name) => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 ? argv[i + 1] : undefined
  }
  return {
    files: opt('files')?.split(','),
    listMissing: argv.includes('--list-missing'),
    baseline: opt('baseline'),
    json: opt('json'),
    out: opt('out'),
    hosts: opt('hosts'),
    jobs: Number(opt('jobs') ?? 1),
    opt,
  }
}

export function defaultBaseline() {
  return [path.join(root, 'conformance', 'official-suite-passing-on-real-ce-8.0.txt'), path.join(root, '..', 'shared', 'conformance', 'official-suite-passing-on-real-ce-8.0.txt')].find(existsSync)
}

/** The library the suite loads as `../lib/aerospike.js`: the official package's own `lib`, or
 * this package behind the same file names (`aerospike.js`, `info.js`; the suite's type
 * declarations stay the official ones, as they are what it was written against). */
function linkLibrary(dest, library) {
  if (library === 'official') {
    symlinkSync(path.join(pkg, 'lib'), path.join(dest, 'lib'), 'dir')
    return
  }
  const lib = path.join(dest, 'lib')
  mkdirSync(lib)
  const entry = JSON.stringify(path.join(root, 'index.js'))
  writeFileSync(path.join(lib, 'aerospike.js'), `module.exports = require(${entry})\n`)
  writeFileSync(path.join(lib, 'info.js'), `module.exports = require(${entry}).info\n`)
  // test/info.js takes its host-string parser from the official utils (a test helper here; the
  // suites that test the official internals, utils.js and command.js, are not in the baseline).
  cpSync(path.join(pkg, 'lib', 'utils.js'), path.join(lib, 'utils.js'))
  cpSync(path.join(pkg, 'lib', 'aerospike.d.ts'), path.join(lib, 'aerospike.d.ts'))
}

/**
 * Type-checks the official suite (TypeScript written against the official typings) against this
 * package's declarations instead. Returns the compiler's errors, by file; the official typings
 * give none but the two of a missing optional module (`dockerode`).
 */
export function typecheckAgainstOurs(work) {
  const dest = path.join(work, 'types')
  rmSync(dest, { recursive: true, force: true })
  mkdirSync(path.join(dest, 'lib'), { recursive: true })
  cpSync(path.join(pkg, 'test'), path.join(dest, 'test'), { recursive: true })
  cpSync(path.join(pkg, 'package.json'), path.join(dest, 'package.json'))
  symlinkSync(path.join(root, 'node_modules'), path.join(dest, 'node_modules'), 'dir')
  const dts = (target) => `export * from ${JSON.stringify(path.join(root, 'dist', target))}\n`
  writeFileSync(path.join(dest, 'lib', 'aerospike.d.ts'), dts('index'))
  writeFileSync(path.join(dest, 'lib', 'info.d.ts'), dts('info'))
  cpSync(path.join(pkg, 'lib', 'utils.js'), path.join(dest, 'lib', 'utils.js'))
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(dest, 'test/tsconfig.json'), '--noEmit'], { cwd: dest, encoding: 'utf8', maxBuffer: 64 << 20 })
  const errors = r.stdout.split('\n').filter((l) => /error TS\d+/.test(l) && !/'dockerode'/.test(l))
  const byFile = new Map()
  for (const e of errors) {
    const f = e.split('(')[0]
    byFile.set(f, (byFile.get(f) ?? 0) + 1)
  }
  return { errors, byFile }
}

export function prepare(work, library) {
  rmSync(work, { recursive: true, force: true })
  const dest = path.join(work, 'aerospike')
  mkdirSync(dest, { recursive: true })
  // The suite imports ../lib/aerospike.js and reads ../package.json.
  linkLibrary(dest, library)
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
  spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(dest, 'test/tsconfig.json'), '--noEmitOnError', 'false'], {
    cwd: dest,
    encoding: 'utf8',
  })
  // Type errors in the suite (it targets newer typings) do not stop emission.
  if (!existsSync(path.join(dest, 'test', 'get.js'))) throw new Error('compiling the official test suite failed')
  return dest
}

/** The embedded server on port 3000 when that is free (one metrics test checks the port the real
 * server used), else on any free port. */
export async function startServer() {
  const build = spawnSync('cargo', ['build', '-q', '-p', 'aerospike-embedded-server'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('building the server failed')
  try {
    return await spawnServer('3000')
  } catch {
    return spawnServer('0')
  }
}

/** The hosts to run against: `--hosts`, else AEROSPIKE_HOSTS, else an embedded server started
 * here (`server`, to be killed at the end; null otherwise). */
export async function targetHosts(args) {
  const hosts = args.hosts ?? process.env.AEROSPIKE_HOSTS
  if (hosts) return { hosts, server: null }
  const server = await startServer()
  return { hosts: server.address, server }
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
  const env = { ...process.env, npm_package_version: officialVersion() }
  if (hosts === '127.0.0.1:3000' && !process.env.AEROSPIKE_HOSTS) delete env.AEROSPIKE_HOSTS
  else env.AEROSPIKE_HOSTS = hosts
  return env
}

export function listFiles(dir, only, skip = []) {
  return readdirSync(path.join(dir, 'test'))
    .filter((f) => f.endsWith('.js') && f !== 'test_helper.js' && f !== 'wait_for_server_info.js')
    .map((f) => f.slice(0, -3))
    .filter((f) => (!only || only.includes(f)) && !skip.includes(f))
    .sort()
}

export function runFile(work, dir, file, hosts) {
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

/** Runs the files (`jobs` at a time) and prints one line per file as it ends, in file order. */
export async function runFiles(work, dir, files, hosts, jobs = 1) {
  const results = new Array(files.length)
  let next = 0
  let printed = 0
  const worker = async () => {
    while (next < files.length) {
      const i = next++
      results[i] = await runFile(work, dir, files[i], hosts)
      while (printed < files.length && results[printed]) printLine(results[printed++])
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker))
  return results
}

function printLine({ file, report, stderr }) {
  if (!report) {
    const lines = stderr.trim().split('\n')
    const why = lines.find((l) => /Error\b|error:/.test(l)) ?? lines.slice(-1)[0] ?? ''
    console.log(`  ${file.padEnd(28)} did not run: ${why.trim().slice(0, 160)}`)
    return
  }
  const s = report.stats
  console.log(`  ${file.padEnd(28)} ${String(s.passes).padStart(4)} passed ${String(s.failures).padStart(4)} failed ${String(s.pending).padStart(4)} pending`)
}

/** Reads a baseline file: one "describe › … › it" title per line. `exclude` drops the titles that
 * start with any of its prefixes. */
export function readBaseline(file, exclude = []) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .filter((t) => !exclude.some((p) => t === p || t.startsWith(`${p} › `)))
}

export const suiteOf = (t) => t.split(' › ')[0]

/** Compares mocha reports with a baseline; returns the counts and the missing titles. */
export function compare(results, baseline) {
  const passedTitles = new Set()
  const passedFull = []
  const totals = { passes: 0, failures: 0, pending: 0 }
  const failures = new Map()
  for (const { report } of results) {
    if (!report) continue
    // The baseline keeps only the first line of multi-line test titles.
    for (const t of report.passes) {
      passedTitles.add(t.fullTitle.split('\n')[0].replace(/\s+/g, ' ').trim())
      passedFull.push(t.fullTitle.replace(/\s+/g, ' ').trim())
    }
    for (const t of report.failures) failures.set(t.fullTitle.split('\n')[0].replace(/\s+/g, ' ').trim(), (t.err?.message ?? '').split('\n')[0])
    for (const k of Object.keys(totals)) totals[k] += report.stats[k]
  }
  // Baseline titles are "describe › … › it"; mocha's fullTitle joins with spaces.
  const norm = (t) => t.split(' › ').join(' ').replace(/\s+/g, ' ').trim()
  // Multi-line titles were split oddly in the baseline: fall back to "every part appears".
  const passed = (t) => passedTitles.has(norm(t)) || passedFull.some((p) => t.split(' › ').every((part) => p.includes(part.replace(/\s+/g, ' ').trim())))
  const missing = baseline.filter((t) => !passed(t))
  const bySuite = new Map()
  for (const t of baseline) {
    const e = bySuite.get(suiteOf(t)) ?? { total: 0, pass: 0 }
    e.total++
    if (passed(t)) e.pass++
    bySuite.set(suiteOf(t), e)
  }
  const reason = (t) => failures.get(norm(t))
  return { totals, missing, bySuite, passing: baseline.length - missing.length, reason }
}

export function printSuites(bySuite, label) {
  console.log(`\nper suite (passing here / ${label}):`)
  for (const [s, e] of [...bySuite].sort((a, b) => b[1].total - a[1].total)) console.log(`  ${String(e.pass).padStart(4)} / ${String(e.total).padEnd(4)} ${s}`)
}
