// Documentation that runs: every snippet in docs/*.md marked `<!-- snippet: file#region -->`
// must be exactly that region of that example file, and every example must run cleanly against
// the test server.
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hosts } from './helpers'

const root = path.resolve(__dirname, '..')

function dedent(s: string): string {
  const lines = s.split('\n')
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length))
  return lines.map((l) => l.slice(indent)).join('\n')
}

function region(file: string, name: string): string {
  const src = readFileSync(path.join(root, file), 'utf8')
  const m = new RegExp(`[ \\t]*// #region ${name}\\n([\\s\\S]*?)\\n[ \\t]*// #endregion ${name}`).exec(src)
  if (!m) throw new Error(`${file} has no region "${name}"`)
  return dedent(m[1]!)
}

const docs = readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md'))
const snippets: Array<{ doc: string; file: string; name: string; code: string }> = []
for (const doc of docs) {
  const text = readFileSync(path.join(root, 'docs', doc), 'utf8')
  for (const m of text.matchAll(/<!-- snippet: (\S+)#(\S+) -->\n```js\n([\s\S]*?)\n```/g)) {
    snippets.push({ doc, file: m[1]!, name: m[2]!, code: m[3]! })
  }
}

describe('docs snippets', () => {
  it('the tuning guide has snippets', () => {
    expect(snippets.filter((s) => s.doc === 'performance-tuning.md').length).toBeGreaterThanOrEqual(8)
  })
  it.each(snippets.map((s) => [`${s.doc}: ${s.file}#${s.name}`, s] as const))('%s matches its example', (_, s) => {
    expect(s.code).toBe(region(s.file, s.name))
  })
})

const examples = ['examples/demo.js', 'examples/queries.js', 'examples/migrating.js', 'examples/columnar.js', ...readdirSync(path.join(root, 'examples', 'tuning')).filter((f) => !f.startsWith('_') && f.endsWith('.js')).map((f) => `examples/tuning/${f}`)]

describe('examples run', () => {
  it.each(examples)('%s', (file) => {
    const r = spawnSync(process.execPath, [path.join(root, file)], {
      cwd: root,
      env: { ...process.env, AEROSPIKE_HOSTS: hosts },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout.length).toBeGreaterThan(0)
  }, 90_000)
})
