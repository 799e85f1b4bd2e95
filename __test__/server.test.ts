import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { aerospike, connectClient, embedded, NS, uniqueSet } from './helpers'

const require = createRequire(import.meta.url)
const official = require('aerospike')

describe('embedded server', () => {
  it('starts on a free port in well under a second and stops', async () => {
    const t0 = performance.now()
    const s = await aerospike.startServer()
    expect(performance.now() - t0).toBeLessThan(500)
    expect(s.port).toBeGreaterThan(0)
    expect(s.address).toBe(`127.0.0.1:${s.port}`)
    const c = (await aerospike.connect({ hosts: s.address })) as aerospike.Client
    await c.put(new aerospike.Key('test', 'x', 1), { a: 1 })
    await c.close()
    await s.stop()
    await s.stop()
    await expect(aerospike.connect({ hosts: s.address, connTimeoutMs: 300 })!).rejects.toBeInstanceOf(aerospike.AerospikeError)
  })

  it('serves custom namespaces and rejects bad options', async () => {
    const s = await aerospike.startServer({ namespaces: ['alpha'], clusterName: 'c1' })
    const c = (await aerospike.connect({ hosts: s.address, clusterName: 'c1' })) as aerospike.Client
    await c.put(new aerospike.Key('alpha', 's', 1), { a: 1 })
    const info = (await c.infoAny('namespaces\ncluster-name')) as string
    expect(info).toBe('namespaces\talpha\ncluster-name\tc1\n')
    await c.close()
    await s.stop()
    await expect(aerospike.startServer({ port: -1 })).rejects.toThrow(TypeError)
    await expect(aerospike.startServer({ namespaces: [''] })).rejects.toBeInstanceOf(aerospike.AerospikeError)
    await expect(aerospike.startServer({ defaultTtl: 1.5 })).rejects.toThrow(TypeError)
  })

  it('answers info commands, one line per command, unknown ones as ERROR', async () => {
    const c = await connectClient()
    const out = (await c.infoAny('status\nbogus-command\nbuild')) as string
    const lines = out.trim().split('\n').map((l) => l.split('\t'))
    expect(lines[0]).toEqual(['status', 'ok'])
    if (embedded) {
      expect(lines[1]).toEqual(['bogus-command', 'ERROR:4:unrecognized command'])
      expect(lines[2][1]).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    }
    await c.close()
  })

  it('the official aerospike client and ours see the same data', async () => {
    const set = uniqueSet('interop')
    const theirs = await official.connect({ hosts: (await import('./helpers')).hosts })
    const ours = await connectClient()
    await theirs.put(new official.Key(NS, set, 'from-official'), { a: 1, s: 'x', l: [1, 2], m: { k: 'v' } })
    await ours.put(new aerospike.Key(NS, set, 'from-napi'), { b: 2.5, big: 2n ** 60n })
    const r1 = (await ours.get(new aerospike.Key(NS, set, 'from-official'))) as aerospike.AerospikeRecord
    expect(r1.bins).toEqual({ a: 1, s: 'x', l: [1, 2], m: { k: 'v' } })
    const r2 = await theirs.get(new official.Key(NS, set, 'from-napi'))
    expect(r2.bins).toEqual({ b: 2.5, big: 2n ** 60n })
    await ours.truncate(NS, set)
    await expect(theirs.get(new official.Key(NS, set, 'from-official'))).rejects.toMatchObject({ code: 2 })
    await theirs.close()
    await ours.close()
  })
})
