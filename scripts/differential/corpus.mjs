// The recorded corpus: per family, a gzipped JSON-lines file whose first line says how it was made (seed,
// generator version, the real server's build) and whose other lines are cases, each with its
// steps (the generator's descriptions) and the real server's replies. `known-differences.json`
// lists, with the reason, the cases the embedded server still answers differently; the replay
// test fails on a difference not listed and on a listed case that no longer differs.
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { gunzipSync, gzipSync } from 'node:zlib'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { listCase, mapCase } from './gen-cdt.mjs'
import { scalarCase } from './gen-scalar.mjs'
import { exprCase } from './gen-expr.mjs'
import { batchCase, KEYS as BATCH_KEYS } from './gen-batch.mjs'
import { queryCase, KEYS as QUERY_KEYS } from './gen-query.mjs'
import { batchStep } from './exec-batch.mjs'
import { LANES, laneSet, queryStep, setupQuery } from './exec-query.mjs'
import { udfCase } from './gen-udf.mjs'
import { setupUdf } from './exec-udf.mjs'
import { bitCase, hllCase, hllSetCase } from './gen-bits.mjs'
import { NAMESPACE, caseKey, compareCase, runCase } from './exec.mjs'
import { Aerospike, rng } from './values.mjs'

/** Bumped whenever the generator draws differently for a seed: the corpus must be re-recorded. */
export const GENERATOR_VERSION = 1

export const FAMILIES = { list: listCase, map: mapCase, scalar: scalarCase, bit: bitCase, hll: hllCase, 'hll-set': hllSetCase, expr: exprCase, batch: batchCase, query: queryCase, udf: udfCase }

/**
 * How families run beyond the default: cases that own several records (how many, the step
 * runner), lanes (a set per parallel worker), a setup before the cases (indexes, a UDF module)
 * and removing a case's records after it.
 */
const MULTI = {
  batch: { keys: BATCH_KEYS, step: batchStep },
  query: { keys: QUERY_KEYS, step: queryStep, lanes: LANES, set: laneSet, setup: setupQuery, cleanup: true },
  udf: { setup: setupUdf },
}

export const CORPUS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'conformance', 'differential')

/** Cases of `family` from `seed` until they hold at least `ops` steps. */
export function generate(family, seed, ops) {
  const salt = [...family].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7)
  const r = rng((seed ^ salt) >>> 0)
  const cases = []
  for (let n = 0, id = 0; n < ops; id++) {
    const steps = FAMILIES[family](r)
    cases.push({ id, steps })
    n += steps.length
  }
  return cases
}

/**
 * Runs `cases` on `client`, `parallel` at a time; returns their outputs in order. A family with
 * lanes runs case i in lane i % lanes (a key's digest, so its partition, depends on its set).
 */
export async function runCases(client, family, seed, cases, parallel = 8) {
  const multi = MULTI[family]
  if (multi?.setup) await multi.setup(client, NAMESPACE)
  const out = new Array(cases.length)
  const run = async (i, lane) => {
    const key = multi?.set ? new Aerospike.Key(NAMESPACE, multi.set(lane), `${family}-${seed}-${cases[i].id}`) : caseKey(family, seed, cases[i].id)
    out[i] = await runCase(client, key, cases[i].steps, multi?.keys ? multi : null)
  }
  if (multi?.lanes) {
    await Promise.all(Array.from({ length: multi.lanes }, async (_, lane) => {
      for (let i = lane; i < cases.length; i += multi.lanes) await run(i, lane)
    }))
    return out
  }
  let next = 0
  const worker = async () => {
    while (next < cases.length) await run(next++, 0)
  }
  await Promise.all(Array.from({ length: parallel }, worker))
  return out
}

/** The corpus file of a family (gzipped JSON lines: the replies compress about tenfold). */
export function corpusFile(family, dir = CORPUS_DIR) {
  return path.join(dir, `${family}.jsonl.gz`)
}

/** The corpus files in `dir`. */
export function corpusFiles(dir = CORPUS_DIR) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl.gz'))
    .sort()
    .map((f) => path.join(dir, f))
}

export function writeCorpus(file, header, cases, outs) {
  const lines = [JSON.stringify(header)]
  for (const [i, c] of cases.entries()) lines.push(JSON.stringify({ id: c.id, steps: c.steps, out: outs[i] }))
  writeFileSync(file, gzipSync(lines.join('\n') + '\n', { level: 9 }))
}

export function readCorpus(file) {
  const [head, ...rest] = gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter(Boolean)
  return { header: JSON.parse(head), cases: rest.map((l) => JSON.parse(l)) }
}

/** {family: {caseId: reason}} from known-differences.json (empty when absent). */
export function readKnown(dir = CORPUS_DIR) {
  const file = path.join(dir, 'known-differences.json')
  if (!existsSync(file)) return {}
  const known = JSON.parse(readFileSync(file, 'utf8'))
  delete known.comment
  return known
}

/**
 * Replays a family's recorded cases on `client`; returns {id: [differing step indexes]} and,
 * for each differing case, the first differing step as {step, expected, actual}.
 */
export async function replay(client, family, corpus) {
  const { header, cases } = corpus
  const outs = await runCases(client, family, header.seed, cases)
  const diffs = {}
  cases.forEach((c, i) => {
    const d = compareCase(c.out, outs[i])
    if (d.length) diffs[c.id] = { step: d[0], steps: c.steps, expected: c.out[d[0]], actual: outs[i][d[0]] }
  })
  return diffs
}
