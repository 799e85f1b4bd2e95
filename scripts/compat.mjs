// `npm run compat`: the drop-in measure. Runs the official `aerospike` package's own test suite
// (node_modules/aerospike/test, compiled with its own tsconfig) with `aerospike` resolved to this
// package, file by file, against the embedded server (or --hosts / AEROSPIKE_HOSTS), and prints
// per suite how many of the tests that pass with the official client against a real CE 8.0
// server pass here. The suites that test the official client's internals (test/command.js,
// test/utils.js) are left out of both the run and the baseline.
//
//   npm run compat -- [--files get,put] [--hosts h:p] [--list-missing] [--min <percent>] [--json out.json] [--jobs n]
//                     [--expect <file>] [--update-expect] [--types]
//
// --types only type-checks the suite against this package's declarations (TypeScript written for
// the official typings must compile against ours) and prints the errors per file.
//
// --expect names a file of baseline tests that must pass (one title per line): the run fails if
// any of them does not, so compatibility cannot regress (CI runs a part of the suite this way).
// --update-expect rewrites that file with the baseline tests of the files run that pass now.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { compare, defaultBaseline, typecheckAgainstOurs, listFiles, parseArgs, prepare, printSuites, readBaseline, root, runFiles, targetHosts } from './suite/official-suite.mjs'

/** Suites of the official client's internals, and the files that hold them. */
const INTERNAL_SUITES = ['Command', 'utils.parseHostString() #noserver', 'Info commands › info.parse()']
const INTERNAL_FILES = ['command', 'utils']

async function main() {
  const args = parseArgs(process.argv.slice(2))
  const work = args.out ?? path.join(root, 'conformance-out', `compat-${process.pid}`)
  if (process.argv.includes('--types')) {
    const { errors, byFile } = typecheckAgainstOurs(work)
    for (const [f, n] of [...byFile].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${f}`)
    if (args.listMissing) for (const e of errors) console.log(e)
    console.log(`\ncompat --types: ${errors.length} type errors compiling the official suite against these typings (0 with the official ones)`)
    process.exitCode = errors.length === 0 ? 0 : 1
    return
  }
  const dir = prepare(work, 'ours')
  const { hosts, server } = await targetHosts(args)
  console.log(`compat: the official client's test suite with aerospike-napi in its place, against ${hosts}${server ? ' (embedded server)' : ''}`)
  const files = listFiles(dir, args.files, INTERNAL_FILES)
  const results = await runFiles(work, dir, files, hosts, args.jobs)
  server?.child.kill('SIGTERM')
  let baseline = readBaseline(args.baseline ?? defaultBaseline(), INTERNAL_SUITES)
  // With --files, the baseline is what those files hold (by top-level suite seen in the run).
  if (args.files) {
    const suites = new Set(results.flatMap((r) => (r.report ? [...r.report.passes, ...r.report.failures, ...r.report.pending].map((t) => t.fullTitle) : [])))
    baseline = baseline.filter((t) => [...suites].some((s) => s.startsWith(t.split(' › ')[0])))
  }
  const { missing, bySuite, passing, reason } = compare(results, baseline)
  printSuites(bySuite, 'baseline')
  if (args.listMissing) {
    console.log('\nbaseline tests that fail here:')
    for (const t of missing) console.log(`  ${t}\n      ${reason(t) ?? '(did not run)'}`)
  }
  const pct = (100 * passing) / Math.max(1, baseline.length)
  console.log(`\ncompat: ${passing} of ${baseline.length} baseline tests pass (${pct.toFixed(1)}%)`)
  if (args.json) writeFileSync(args.json, JSON.stringify({ hosts, baseline: baseline.length, passing, missing }, null, 2))
  const expectFile = args.opt('expect')
  if (expectFile) {
    const passingNow = baseline.filter((t) => !missing.includes(t))
    if (process.argv.includes('--update-expect')) {
      writeFileSync(expectFile, passingNow.join('\n') + '\n')
      console.log(`compat: wrote ${passingNow.length} expected passing tests to ${expectFile}`)
    } else {
      const expected = readFileSync(expectFile, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean)
      const regressed = expected.filter((t) => !passingNow.includes(t))
      if (regressed.length) {
        console.error(`compat: ${regressed.length} of ${expected.length} tests that passed before fail now:`)
        for (const t of regressed) console.error(`  ${t}\n      ${reason(t) ?? '(did not run)'}`)
        process.exit(1)
      }
      console.log(`compat: all ${expected.length} expected tests pass`)
    }
  }
  const min = args.opt('min')
  if (min !== undefined && pct < Number(min)) {
    console.error(`compat: below the required ${min}%`)
    process.exit(1)
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
