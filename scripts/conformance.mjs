// `npm run conformance`: runs the official `aerospike` npm client's own test suite (shipped in
// node_modules/aerospike/test) against the embedded server, or against AEROSPIKE_HOSTS, and
// compares the result with the tests that pass against a real Aerospike CE 8.0 server
// (../shared/conformance or conformance/ in this repository).
//
//   npm run conformance -- [--files get,put] [--list-missing] [--baseline <file>] [--json out.json] [--out dir] [--jobs n]
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { compare, defaultBaseline, listFiles, parseArgs, prepare, printSuites, readBaseline, root, runFiles, suiteOf, targetHosts } from './suite/official-suite.mjs'

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

async function main() {
  const args = parseArgs(process.argv.slice(2))
  // Each run works in its own directory so that several runs can go at once.
  const work = args.out ?? path.join(root, 'conformance-out', `run-${process.pid}`)
  const dir = prepare(work, 'official')
  const { hosts, server } = await targetHosts(args)
  console.log(`conformance: official aerospike client test suite against ${hosts}${server ? ' (embedded server)' : ''}`)
  const results = await runFiles(work, dir, listFiles(dir, args.files), hosts, args.jobs)
  server?.child.kill('SIGTERM')
  const baselineFile = args.baseline ?? defaultBaseline()
  if (!baselineFile) return
  const baseline = readBaseline(baselineFile)
  const { totals, missing, bySuite, passing } = compare(results, baseline)
  console.log(`  ${'TOTAL'.padEnd(28)} ${String(totals.passes).padStart(4)} passed ${String(totals.failures).padStart(4)} failed ${String(totals.pending).padStart(4)} pending`)
  const core = baseline.filter((t) => CORE_SUITES.includes(suiteOf(t)))
  const coreMissing = core.filter((t) => missing.includes(t))
  console.log(`\nbaseline (real CE 8.0): ${passing} of ${baseline.length} baseline-passing tests pass here`)
  console.log(`core suites (get/put/exists/remove/select/key/batch*/info): ${core.length - coreMissing.length} of ${core.length}`)
  printSuites(bySuite, 'passing on real CE 8.0')
  if (args.listMissing) {
    console.log('\nbaseline-passing tests that fail here:')
    for (const t of missing) console.log(`  ${t}`)
  } else if (coreMissing.length) {
    console.log('\ncore-suite tests that fail here:')
    for (const t of coreMissing) console.log(`  ${t}`)
  }
  if (args.json) writeFileSync(args.json, JSON.stringify({ hosts, totals, baseline: baseline.length, baselinePassing: passing, core: core.length, corePassing: core.length - coreMissing.length, missing }, null, 2))
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
