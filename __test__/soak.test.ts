// Short soak (the long one is `npm run soak`, 1,000,000 operations): mixed commands, misses and
// rejected bad calls, with no errors, RSS growth after warm-up under 64 MB, and no handle left open.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hosts } from './helpers'

describe('soak (short)', () => {
  it('60,000 mixed operations: no errors, bounded RSS, no leaked handles', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, '..', 'scripts', 'soak.mjs'), '--ops', '60000', '--rss-growth-mb', '64'], {
      env: { ...process.env, AEROSPIKE_HOSTS: hosts },
      encoding: 'utf8',
      timeout: 120_000,
    })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    const res = JSON.parse(r.stdout.trim().split('\n').pop()!)
    expect(res.ops).toBe(60000)
    expect(res.errors).toBe(0)
    expect(res.rssGrowthMb).toBeLessThan(64)
    expect(res.handlesEnd).toBeLessThanOrEqual(res.handlesAfterWarmup)
  }, 150_000)
})
