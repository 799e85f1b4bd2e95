#!/usr/bin/env node
// Rewrites conformance/differential/known-differences.json: replays the recorded corpus against
// a fresh embedded server (this checkout's native build) and lists every case that still
// differs, with a reason. Reasons already written for a case are kept (edit them by hand when
// the classifier's guess is not good enough); cases that no longer differ drop out.
//
//   node scripts/differential/known.mjs            (npm run differential -- --known)
import { createRequire } from 'node:module'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { Aerospike, connectOptions } from './values.mjs'
import { CORPUS_DIR, corpusFiles, readCorpus, readKnown, replay } from './corpus.mjs'

const require = createRequire(import.meta.url)

const COMMENT = [
  'Cases of the recorded corpus that the embedded server still answers differently from the real',
  'server, by family and case id, with the reason. __test__/differential.test.ts fails on a',
  'difference not listed here and on a listed case that no longer differs: fix, then shrink.',
  'Regenerate with `node scripts/differential/known.mjs` (keeps reasons already written).',
]

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)
const sorted = (xs) => [...xs].map((x) => JSON.stringify(x)).sort()

/** A reason for a differing step, from what differs in it. */
export function classify(d) {
  const st = d.steps[d.step]
  const ops = st.t === 'op' ? st.ops.map((o) => `${o.f === 'ops' ? '' : `${o.f}.`}${o.op}`).join(', ') : st.t
  const e = d.expected
  const a = d.actual
  if (st.t === 'op' && st.ops.some((o) => o.b === 'x') && (a.rec?.bins?.x !== undefined || a.r.code === 26 || e.r.bins?.x === null)) {
    return `${ops} on a missing bin: the real server leaves the bin absent (result null or none); the embedded server creates an empty one or answers 26 (cdt context handling, crates/cdt/src/context.rs)`
  }
  if (st.t === 'put' && e.r.code === 3 && a.r.ok) {
    return 'put with a generation policy on a missing record: the real server checks the generation (0) and answers GENERATION_ERROR (3) (crates/server)'
  }
  const creates = st.t === 'op' && st.ops.some((o) => o.ctx?.some(([k]) => k === 'mkc' || k === 'lic'))
  if (creates && e.r.code === undefined && !same(e.rec, a.rec)) {
    return `${ops} through a context that creates (addMapKeyCreate/addListIndexCreate): the real server creates nothing for an op that removes or finds nothing; the embedded server leaves an empty container (crates/cdt/src/context.rs)`
  }
  const nulled = Object.entries(e.r.bins ?? {}).filter(([b, v]) => v === null && a.r.bins?.[b] !== null)
  if (st.t === 'op' && st.ops.length > 1 && nulled.length && same(e.rec, a.rec)) {
    return `${ops}: of several ops on a bin, one that answers nothing (return type NONE, set, clear, …) answers null on the real server, so the reply's value for the bin is null; the embedded server answers no entry for it (operate reply, crates/server)`
  }
  if (e.r.code !== a.r.code) return `${ops}: result code, real ${e.r.code ?? 'ok'}, embedded ${a.r.code ?? 'ok'}`
  if (same(e.r, a.r) && e.rec?.bins && a.rec?.bins && same(sorted(Object.entries(e.rec.bins)), sorted(Object.entries(a.rec.bins)))) {
    return `${ops}: bin order of the record after a bin is deleted (the real server moves the last bin into the freed slot; crates/server)`
  }
  const ea = Object.values(e.r.bins ?? {})
  const aa = Object.values(a.r.bins ?? {})
  if (ea.length === aa.length && ea.every((x, i) => Array.isArray(x) && Array.isArray(aa[i]) && same(sorted(x), sorted(aa[i])))) {
    const ints = ea.every((x) => x.every((v) => Number.isInteger(v)))
    return ints
      ? `${ops}: order of the returned indexes/ranks (the real server's order follows its selection path: heap, mask or run)`
      : `${ops}: order of the returned values/keys (the real server's order follows its heap selection, order_heap in particle_list.c / particle_map.c)`
  }
  return `${ops}: reply or record differs (${JSON.stringify(e).slice(0, 120)} vs ${JSON.stringify(a).slice(0, 120)})`
}

async function main() {
  const { EmbeddedServer } = require('../../native.js')
  const server = await EmbeddedServer.start({ port: 0 })
  const client = await Aerospike.connect(connectOptions(`${server.host}:${server.port}`))
  try {
    const old = readKnown()
    const out = { comment: COMMENT }
    for (const file of corpusFiles()) {
      const corpus = readCorpus(file)
      const family = corpus.header.family
      const diffs = await replay(client, family, corpus)
      out[family] = {}
      for (const [id, d] of Object.entries(diffs)) out[family][id] = old[family]?.[id] ?? classify(d)
      console.log(`${family}: ${corpus.cases.length} cases, ${Object.keys(diffs).length} differ`)
    }
    writeFileSync(path.join(CORPUS_DIR, 'known-differences.json'), JSON.stringify(out, null, 1) + '\n')
  } finally {
    await client.close()
    await server.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main()
