// The package as users get it: the main package and the linux-x64-gnu platform package are packed
// with `npm pack`, installed offline into an empty directory, and used from there with no Rust
// toolchain on PATH (CommonJS, ESM, and type checks of both).
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '..')
const platform = 'linux-x64-gnu'
const supported = process.platform === 'linux' && process.arch === 'x64' && existsSync(path.join(root, `aerospike-napi.${platform}.node`))
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const work = mkdtempSync(path.join(os.tmpdir(), 'aerospike-napi-pack-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/**
 * Runs a command without blocking this worker (a worker blocked for a minute, as `spawnSync` of
 * an install on a loaded machine does, times out vitest's own calls to it): `spawnSync`'s answer.
 */
function run(cmd: string, args: string[], options: SpawnOptions = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
    })
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

async function pack(dir: string): Promise<string> {
  const r = await run(npm, ['pack', '--silent', '--pack-destination', work], { cwd: dir })
  if (r.status !== 0) throw new Error(`npm pack in ${dir} failed: ${r.stderr}`)
  return path.join(work, r.stdout.trim().split('\n').pop()!)
}

/** PATH with node and the basic system tools, and nothing that has cargo or rustc in it. */
function bareEnv(): NodeJS.ProcessEnv {
  const dirs = [path.dirname(process.execPath), '/usr/bin', '/bin'].filter(
    (d) => !existsSync(path.join(d, 'cargo')) && !existsSync(path.join(d, 'rustc')),
  )
  const env: NodeJS.ProcessEnv = { PATH: dirs.join(path.delimiter), HOME: work, npm_config_cache: path.join(work, 'npm-cache') }
  return env
}

describe.skipIf(!supported)('packed package', () => {
  it('installs from tarballs and works without a Rust toolchain', async () => {
    // Platform package: its package.json plus the built binary.
    const plat = path.join(work, 'platform')
    mkdirSync(plat)
    cpSync(path.join(root, 'npm', platform), plat, { recursive: true })
    copyFileSync(path.join(root, `aerospike-napi.${platform}.node`), path.join(plat, `aerospike-napi.${platform}.node`))
    const platTgz = await pack(plat)

    // Main package: what `files` lists, with the platform packages as optional dependencies
    // (what `napi prepublish` adds at release time).
    const main = path.join(work, 'main')
    mkdirSync(main)
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
    for (const f of pkg.files as string[]) cpSync(path.join(root, f), path.join(main, f), { recursive: true })
    const platforms = readdirSync(path.join(root, 'npm'))
    pkg.optionalDependencies = Object.fromEntries(platforms.map((p) => [`aerospike-napi-${p}`, pkg.version]))
    delete pkg.devDependencies
    delete pkg.scripts
    writeFileSync(path.join(main, 'package.json'), JSON.stringify(pkg, null, 2))
    const mainTgz = await pack(main)
    // Its runtime dependencies, packed from node_modules (the install is offline).
    const depTgzs = await Promise.all(Object.keys(pkg.dependencies ?? {}).map((d) => pack(path.join(root, 'node_modules', d))))

    // An empty app installs both tarballs offline.
    const app = path.join(work, 'app')
    mkdirSync(app)
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }))
    const env = bareEnv()
    expect((await run('sh', ['-c', 'command -v cargo || command -v rustc'], { env })).status).not.toBe(0)
    const install = await run(
      process.execPath,
      [path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), 'install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', mainTgz, platTgz, ...depTgzs],
      { cwd: app, env },
    )
    expect(install.status, install.stderr).toBe(0)
    expect(existsSync(path.join(app, 'node_modules', 'aerospike-napi', 'dist', 'index.js'))).toBe(true)
    expect(existsSync(path.join(app, 'node_modules', 'aerospike-napi', `aerospike-napi.${platform}.node`))).toBe(false)

    // CommonJS: connect / put / get / columnar batch read / embedded server.
    for (const f of ['smoke.cjs', 'smoke.mjs', 'types.mts', 'types.cts']) copyFileSync(path.join(__dirname, 'package', f), path.join(app, f))
    const cjs = await run(process.execPath, ['smoke.cjs'], { cwd: app, env, timeout: 60_000 })
    expect(cjs.status, cjs.stderr).toBe(0)
    const r = JSON.parse(cjs.stdout.trim())
    const expectedSum = (49 * 50) / 2
    expect(r).toEqual({ n: 7, x: 3.5, sum: String(expectedSum), half: 4.5 })

    // ESM.
    const esm = await run(process.execPath, ['smoke.mjs'], { cwd: app, env, timeout: 60_000 })
    expect(esm.status, esm.stderr).toBe(0)
    expect(JSON.parse(esm.stdout.trim())).toEqual({ v: 'esm', same: true })

    // Types resolve for both module systems (node16 resolution honours "exports").
    const tsc = await run(
      process.execPath,
      [
        path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--skipLibCheck', 'false',
        '--types', 'node', '--typeRoots', path.join(root, 'node_modules', '@types'),
        'types.mts', 'types.cts',
      ],
      { cwd: app, env },
    )
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0)
  }, 180_000)
})

describe('module entries', () => {
  it('the ESM entry exports exactly what the CommonJS entry does', () => {
    const script = `
      import * as esm from ${JSON.stringify(path.join(root, 'index.mjs'))}
      import { createRequire } from 'node:module'
      const cjs = createRequire(import.meta.url)(${JSON.stringify(path.join(root, 'index.js'))})
      const named = Object.keys(esm).filter((k) => k !== 'default' && k !== '__esModule').sort()
      const all = Object.keys(cjs).filter((k) => k !== '__esModule').sort()
      const same = named.every((k) => esm[k] === cjs[k]) && esm.default === cjs
      console.log(JSON.stringify({ named, all, same }))`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const { named, all, same } = JSON.parse(r.stdout.trim())
    expect(named).toEqual(all)
    expect(all.length).toBeGreaterThan(60)
    expect(same).toBe(true)
  })
})
