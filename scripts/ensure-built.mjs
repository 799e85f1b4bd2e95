// Installs and builds whatever is missing or stale before `npm start` / `npm test` on a source checkout:
// the npm tools (on a fresh clone), the native addon with its generated binding `native.js` / `native.d.ts`
// (not committed; cargo is incremental, so an up-to-date build costs a second) and the TypeScript facade.
// With `--missing` (`npm pack`, `npm run typecheck`, `npm run docs:api`) it builds only when one of the
// generated files is absent, so a release job that brings its own prebuilt files packs those.
// Installed packages ship prebuilt binaries and never run this.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`)
    process.exit(r.status ?? 1)
  }
}

if (!existsSync(path.join(root, 'Cargo.toml'))) process.exit(0)
const generated = ['native.js', 'native.d.ts', 'dist/index.js']
if (process.argv.includes('--missing') && generated.every((f) => existsSync(path.join(root, f)))) process.exit(0)
// `npm test` on a fresh clone, before any `npm install`: install the build and test tools first.
const tools = ['@napi-rs/cli', 'typescript', 'vitest', 'aerospike']
if (tools.some((t) => !existsSync(path.join(root, 'node_modules', t, 'package.json')))) {
  const locked = existsSync(path.join(root, 'package-lock.json'))
  run('npm', [locked ? 'ci' : 'install', '--no-audit', '--no-fund'])
}
const hasCargo = spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0
if (!hasCargo) {
  console.error('cargo is required to build aerospike-napi from source: https://rustup.rs')
  process.exit(1)
}
run('npm', ['run', '--silent', 'build'])
