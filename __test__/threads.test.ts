// The addon in worker_threads: several threads load it at once, each with its own client, and
// the process exits on its own when they are done (the official C-client addon crashes here).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hosts } from './helpers'

describe('worker_threads', () => {
  it('works in four worker threads and the main thread at once, then exits cleanly', () => {
    const r = spawnSync(process.execPath, [path.join(__dirname, 'scripts', 'workers.cjs'), hosts, '4'], { encoding: 'utf8', timeout: 60_000 })
    expect(r.status, r.stderr).toBe(0)
    const results = JSON.parse(r.stdout.trim()) as Array<{ id: string | number; sum: number; colSum: number }>
    expect(results).toHaveLength(5)
    const expected = (199 * 200) / 2
    for (const x of results) expect(x).toEqual({ id: x.id, sum: expected, colSum: expected })
  })
})
