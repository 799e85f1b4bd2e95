// The one test command (`npm test`): build what is missing, run the Rust tests of the server
// and codec crates, then the vitest suite (against the embedded server, or AEROSPIKE_HOSTS).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const extra = process.argv.slice(2)

function step(title, cmd, args) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) {
    console.error(`\n${title} failed (exit ${r.status ?? r.signal})`)
    process.exit(r.status ?? 1)
  }
}

step('build', process.execPath, ['scripts/ensure-built.mjs'])
step('rust tests', 'cargo', ['test', '--workspace', '--exclude', 'aerospike-napi', '--quiet'])
step('node tests', process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...extra])
