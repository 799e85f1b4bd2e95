// Replays the recorded differential corpus (conformance/differential/*.jsonl.gz: seeded random
// cases and a real CE server's replies, see docs/differential.md) against the test server through
// the official client, and expects the recorded replies. Cases the embedded server still answers
// differently are listed with the reason in known-differences.json: a difference not listed
// fails, and so does a listed case that no longer differs (the list only shrinks).
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { embedded, hosts } from './helpers'
import { corpusFiles, readCorpus, readKnown, replay } from '../scripts/differential/corpus.mjs'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const official = require('aerospike')

const files = corpusFiles()
const known = readKnown()

describe.skipIf(!embedded)('differential corpus (recorded from a real server)', () => {
  it('has recorded families', () => {
    expect(files.length).toBeGreaterThan(0)
  })

  for (const file of files) {
    it(`replays ${path.basename(file)}`, async () => {
      const corpus = readCorpus(file)
      const family = corpus.header.family as string
      const client = await official.connect({ hosts, log: { level: official.log.OFF } })
      try {
        const diffs = await replay(client, family, corpus)
        const listed = known[family] ?? {}
        const unexpected = Object.keys(diffs).filter((id) => !(id in listed))
        const fixed = Object.keys(listed).filter((id) => !(id in diffs))
        const show = unexpected.slice(0, 3).map((id) => JSON.stringify({ id, ...diffs[id] }))
        expect(unexpected, `cases differing from the recorded replies, not in known-differences.json:\n${show.join('\n')}`).toEqual([])
        expect(fixed, 'cases in known-differences.json that no longer differ: take them out of the list').toEqual([])
      } finally {
        await client.close()
      }
    }, 120_000)
  }
})
