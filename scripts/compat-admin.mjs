// `node scripts/compat-admin.mjs`: the official suite's admin tests (test/admin.js), which need
// a server with security, with aerospike-napi in place of the official client, against an
// embedded server started here with security on and a `superuser` holding every role (as the
// official suite is run against Enterprise: OPTIONS="--user superuser --password superuser"),
// beside the `admin`/`admin` user with `user-admin` that a new Enterprise server has (the tests
// query it).
// `--official` runs the official client instead, for comparison. Needs `npm run build` first.
// Prints the file's counts and failures; exits 1 if any test fails.
import path from 'node:path'
import { createRequire } from 'node:module'
import { prepare, root, runFile } from './suite/official-suite.mjs'

const require = createRequire(import.meta.url)
const { startServer } = require(path.join(root, 'index.js'))

const ROLES = ['read', 'read-write', 'read-write-udf', 'write', 'truncate', 'sindex-admin', 'udf-admin', 'data-admin', 'user-admin', 'sys-admin']

async function main() {
  const library = process.argv.includes('--official') ? 'official' : 'ours'
  const work = path.join(root, 'conformance-out', `compat-admin-${process.pid}`)
  const dir = prepare(work, library)
  const users = [
    { user: 'admin', password: 'admin', roles: ['user-admin'] },
    { user: 'superuser', password: 'superuser', roles: ROLES },
  ]
  const server = await startServer({ security: { users } })
  process.env.OPTIONS = '--user superuser --password superuser'
  try {
    const { report, stderr } = await runFile(work, dir, 'admin', server.address)
    if (!report) {
      console.log(`admin did not run:\n${stderr}`)
      process.exitCode = 1
      return
    }
    const s = report.stats
    for (const t of report.failures) console.log(`  failed: ${t.fullTitle}\n      ${(t.err?.message ?? '').split('\n')[0]}`)
    console.log(`compat-admin (${library}): ${s.passes} passed, ${s.failures} failed, ${s.pending} pending (test/admin.js against a secured embedded server)`)
    process.exitCode = s.failures === 0 && s.passes > 0 ? 0 : 1
  } finally {
    await server.stop()
  }
}

main().catch((e) => {
  console.error(e)
  process.exitCode = 1
})
