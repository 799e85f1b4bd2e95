// The one test command (`npm test`): build what is missing, run the Rust tests of the server,
// codec and columnar crates and the addon's unit tests, then the vitest suite (against the
// embedded server, or AEROSPIKE_HOSTS).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const extra = process.argv.slice(2)

function step(title, cmd, args, env = {}) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', env: { ...process.env, ...env } })
  if (r.status !== 0) {
    console.error(`\n${title} failed (exit ${r.status ?? r.signal})`)
    process.exit(r.status ?? 1)
  }
}

step('build', process.execPath, ['scripts/ensure-built.mjs'])
step('rust tests', 'cargo', ['test', '--workspace', '--exclude', 'aerospike-napi', '--quiet'])
// The addon's own unit tests (the wire readers against the crate's, byte for byte).
step('addon unit tests', 'cargo', ['test', '-p', 'aerospike-napi', '--lib', '--quiet'])
step('node tests', process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...extra])
// The suite above runs single-record commands on the event-loop path where it can; the CRUD,
// error and fault tests run again with every command on the Tokio path.
if (extra.length === 0) {
  const files = ['crud', 'values', 'callbacks', 'errors', 'faults', 'metrics', 'cdt-lists', 'client-methods'].map((f) => `__test__/${f}.test.ts`)
  step('node tests (Tokio path)', process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...files], { AEROSPIKE_NAPI_PATH: 'tokio' })
}
