#!/usr/bin/env node
// Differential tester: the same seeded random cases, sent through the official client to two
// servers (normally a real CE server and the embedded one), with every reply and the record
// after every step compared. With --record DIR it also stores the FIRST host's replies as the
// corpus the replay test (__test__/differential.test.ts) checks the embedded server against.
//
//   npm run differential -- [--seed 1] [--ops 2000] [--families list,map,scalar]
//                           [--hosts 127.0.0.1:3000,embedded] [--record conformance/differential]
//                           [--show 5]
// A host named `embedded` is an embedded server started in this process on a free port.
import { createRequire } from 'node:module'
import { Aerospike, connectOptions } from './values.mjs'
import { compareCase } from './exec.mjs'
import { existsSync } from 'node:fs'
import { FAMILIES, GENERATOR_VERSION, corpusFile, generate, readCorpus, readKnown, runCases, writeCorpus } from './corpus.mjs'
import { classify } from './known.mjs'

const require = createRequire(import.meta.url)

function parseArgs(argv) {
  const o = { seed: 1, ops: 2000, families: Object.keys(FAMILIES), hosts: ['127.0.0.1:3000', 'embedded'], record: null, show: 5 }
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1]
    switch (argv[i]) {
      case '--seed': o.seed = Number(v); i++; break
      case '--ops': o.ops = Number(v); i++; break
      case '--families': o.families = v.split(','); i++; break
      case '--hosts': o.hosts = v.split(','); i++; break
      case '--record': o.record = v; i++; break
      case '--show': o.show = Number(v); i++; break
      default: throw new Error(`unknown argument ${argv[i]} (see the header of scripts/differential/run.mjs)`)
    }
  }
  for (const f of o.families) if (!FAMILIES[f]) throw new Error(`unknown family ${f}; known: ${Object.keys(FAMILIES)}`)
  if (!Number.isInteger(o.seed) || !(o.ops > 0)) throw new Error('--seed and --ops must be numbers')
  return o
}

async function connect(host, stops) {
  if (host === 'embedded') {
    const { EmbeddedServer } = require('../../native.js')
    const s = await EmbeddedServer.start({ port: 0 })
    stops.push(() => s.stop())
    host = `${s.host}:${s.port}`
  }
  const client = await Aerospike.connect(connectOptions(host))
  stops.unshift(() => client.close())
  return { host, client }
}

async function serverBuild(client) {
  const info = async (what) => (await client.infoAny(what)).trim().split('\t').pop()
  return { build: await info('build'), edition: await info('edition') }
}

async function main() {
  const o = parseArgs(process.argv.slice(2))
  const stops = []
  try {
    const servers = []
    for (const h of o.hosts) servers.push(await connect(h, stops))
    const builds = await Promise.all(servers.map((s) => serverBuild(s.client)))
    for (const [i, s] of servers.entries()) console.log(`host ${i}: ${s.host} (${builds[i].edition} ${builds[i].build})`)
    const known = readKnown()
    let total = 0
    for (const family of o.families) {
      const cases = generate(family, o.seed, o.ops)
      const outs = await Promise.all(servers.map((s) => runCases(s.client, family, o.seed, cases)))
      const ops = cases.reduce((n, c) => n + c.steps.length, 0)
      const differing = []
      if (outs.length === 2) {
        for (let i = 0; i < cases.length; i++) if (compareCase(outs[0][i], outs[1][i]).length) differing.push(i)
      }
      // The known list names cases of the recorded corpus: it applies to the same seed only.
      const file = corpusFile(family)
      const head = existsSync(file) ? readCorpus(file).header : null
      const applies = head?.seed === o.seed && head?.generator === GENERATOR_VERSION && o.ops >= head.ops
      const listed = applies
        ? `${differing.filter((i) => known[family]?.[cases[i].id] !== undefined).length} of them in known-differences.json`
        : 'known-differences.json is for the recorded seed'
      console.log(`${family}: ${cases.length} cases, ${ops} steps, ${differing.length} cases differ (${listed})`)
      const reasons = {}
      for (const i of differing) {
        const s = compareCase(outs[0][i], outs[1][i])[0]
        const why = classify({ step: s, steps: cases[i].steps, expected: outs[0][i][s], actual: outs[1][i][s] }).replace(/ \(\{.*$/, '').replace(/^.*? (on a missing bin|through a context)/, '$1').replace(/^[\w., ]+: /, '')
        reasons[why] = (reasons[why] ?? 0) + 1
      }
      for (const [why, n] of Object.entries(reasons).sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${why.slice(0, 160)}`)
      for (const i of differing.slice(0, o.show)) {
        const s = compareCase(outs[0][i], outs[1][i])[0]
        console.log(`  case ${cases[i].id} step ${s}: ${JSON.stringify(cases[i].steps.slice(0, s + 1))}`)
        console.log(`    ${servers[0].host}: ${JSON.stringify(outs[0][i][s])}`)
        console.log(`    ${servers[1].host}: ${JSON.stringify(outs[1][i][s])}`)
      }
      total += differing.length
      if (o.record) {
        const file = corpusFile(family, o.record)
        const header = { family, generator: GENERATOR_VERSION, seed: o.seed, ops: o.ops, server: builds[0], host: servers[0].host === o.hosts[0] ? 'external' : 'embedded', recorded: new Date().toISOString().slice(0, 10) }
        writeCorpus(file, header, cases, outs[0])
        console.log(`  recorded ${cases.length} cases of ${servers[0].host} in ${file}`)
      }
    }
    process.exitCode = total ? 1 : 0
  } finally {
    for (const stop of stops) await stop()
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(2)
})
