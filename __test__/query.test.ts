// Scans and queries through our client: results, selection, pagination, event streams, async
// iteration with backpressure, partition ranges, and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectClient, embedded, NS, uniqueSet } from './helpers'

let client: aerospike.Client
const set = uniqueSet('scan')
const N = 500

beforeAll(async () => {
  client = await connectClient()
  const records = Array.from({ length: N }, (_, i) => ({
    type: aerospike.batchType.BATCH_WRITE,
    key: new aerospike.Key(NS, set, i),
    ops: [aerospike.operations.write('i', i), aerospike.operations.write('s', `v${i}`), aerospike.operations.write('big', 2n ** 60n + BigInt(i))],
  }))
  await client.batchWrite(records, null)
})
afterAll(async () => {
  await client.truncate(NS, set, 0).catch(() => {})
  await client.close()
})

const values = (rs: aerospike.AerospikeRecord[]) => rs.map((r) => r.bins.i as number).sort((a, b) => a - b)
const all = Array.from({ length: N }, (_, i) => i)

describe('scan', () => {
  it('results() returns every record of the set once, with keys, metadata and bins', async () => {
    const rs = await client.scan(NS, set).results()
    expect(values(rs)).toEqual(all)
    for (const r of rs) {
      expect(r.key.ns).toBe(NS)
      expect(r.key.set).toBe(set)
      expect(r.key.digest).toHaveLength(20)
      expect(r.gen).toBeGreaterThanOrEqual(1)
      expect(r.bins.s).toBe(`v${r.bins.i}`)
      expect(r.bins.big).toBe(2n ** 60n + BigInt(r.bins.i as number))
    }
  })

  it('select() returns only the chosen bins; nobins returns metadata only', async () => {
    const rs = await client.scan(NS, set).select('s').results()
    expect(rs).toHaveLength(N)
    for (const r of rs) expect(Object.keys(r.bins)).toEqual(['s'])
    const meta = await client.scan(NS, set, { nobins: true }).results()
    expect(meta).toHaveLength(N)
    for (const r of meta) expect(Object.keys(r.bins ?? {})).toEqual([])
  })

  it('partitions() reads a subset, and the 4096 partitions together read everything', async () => {
    const parts = [
      [0, 1000],
      [1000, 1000],
      [2000, 2096],
    ] as const
    const seen: number[] = []
    for (const [b, c] of parts) seen.push(...values(await client.scan(NS, set).partitions(b, c).results()))
    expect(seen.sort((a, b) => a - b)).toEqual(all)
    const one = await client.scan(NS, set).partitions(0, 1000).results()
    expect(one.length).toBeGreaterThan(0)
    expect(one.length).toBeLessThan(N)
  })

  it('pagination resumes without loss or repeats', async () => {
    const scan = client.scan(NS, set, { paginate: true, maxRecords: 120 })
    const seen = new Map<number, number>()
    let pages = 0
    do {
      const page = await scan.results()
      expect(page.length).toBeLessThanOrEqual(120)
      for (const r of page) seen.set(r.bins.i as number, (seen.get(r.bins.i as number) ?? 0) + 1)
      pages++
    } while (scan.hasNextPage() && pages < 20)
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(N / 120))
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(all)
    expect([...seen.values()].every((c) => c === 1)).toBe(true)
  })

  it('foreach() emits data then end; abort() stops early', async () => {
    const got: number[] = []
    await new Promise<void>((resolve, reject) => {
      const s = client.scan(NS, set).foreach()
      s.on('data', (r: aerospike.AerospikeRecord) => got.push(r.bins.i as number))
      s.on('error', reject)
      s.on('end', resolve)
    })
    expect(got.sort((a, b) => a - b)).toEqual(all)

    let n = 0
    await new Promise<void>((resolve, reject) => {
      const s = client.scan(NS, set).foreach(null, () => {
        n++
        if (n === 10) s.abort()
      }, reject, resolve)
    })
    expect(n).toBe(10)
  })

  it('for await … of iterates, and breaking out stops the scan', async () => {
    const got: number[] = []
    for await (const r of client.scan(NS, set)) got.push(r.bins.i as number)
    expect(got.sort((a, b) => a - b)).toEqual(all)
    let n = 0
    for await (const _ of client.scan(NS, set).stream({ recordQueueSize: 64 })) {
      if (++n === 5) break
    }
    expect(n).toBe(5)
    // The client is still fine afterwards.
    expect((await client.get(new aerospike.Key(NS, set, 1))).bins.i).toBe(1)
  })

  it('rejects bad arguments with TypeErrors', () => {
    expect(() => client.scan('', set)).toThrow(TypeError)
    expect(() => client.scan(NS, set).partitions(4000, 200)).toThrow(TypeError)
    expect(() => client.scan(NS, set).where(aerospike.filter.equal('i', 1))).toThrow(TypeError)
    expect(() => aerospike.filter.range('i', 1.5, 2)).toThrow(TypeError)
    expect(() => aerospike.filter.geoWithinRadius('g', NaN, 0, 1)).toThrow(TypeError)
    expect(() => client.query(NS, set).where({} as aerospike.Filter)).toThrow(TypeError)
  })

  it('an unknown namespace is a server error', async () => {
    await expect(client.scan('nope', set).results()).rejects.toBeInstanceOf(aerospike.AerospikeError)
  })
})

describe('query', () => {
  it('a filter on a bin without an index fails with ERR_INDEX_NOT_FOUND (201)', async () => {
    const err = await client.query(NS, set).where(aerospike.filter.range('i', 1, 10)).results().catch((e) => e)
    expect(err).toBeInstanceOf(aerospike.AerospikeError)
    expect(err.code).toBe(aerospike.status.ERR_INDEX_NOT_FOUND)
  })
})

describe.skipIf(!embedded)('backpressure', () => {
  it('a paused consumer stops the server sending; memory stays bounded over 100,000 records', async () => {
    const server = await aerospike.startServer()
    const c = await aerospike.connect({ hosts: server.address })
    try {
      const big = 'x'.repeat(200)
      for (let start = 0; start < 100_000; start += 5000) {
        await c.batchWrite(
          Array.from({ length: 5000 }, (_, j) => ({
            type: aerospike.batchType.BATCH_WRITE,
            key: new aerospike.Key(NS, 'bp', start + j),
            ops: [aerospike.operations.write('i', start + j), aerospike.operations.write('pad', big)],
          })),
          null,
        )
      }
      const before = server.faults.bytesSent()
      const heap0 = process.memoryUsage().heapUsed
      let n = 0
      let pausedAt = 0
      let pausedAgain = 0
      let heapPaused = 0
      for await (const r of c.scan(NS, 'bp').stream({ recordQueueSize: 1000 })) {
        n++
        expect(r.bins.pad).toHaveLength(200)
        if (n === 2000) {
          // Pause: the server must stop sending once the client's bounded buffers are full.
          await new Promise((res) => setTimeout(res, 300))
          pausedAt = server.faults.bytesSent() - before
          await new Promise((res) => setTimeout(res, 300))
          pausedAgain = server.faults.bytesSent() - before
          heapPaused = process.memoryUsage().heapUsed - heap0
        }
      }
      const total = server.faults.bytesSent() - before
      expect(n).toBe(100_000)
      expect(pausedAgain).toBe(pausedAt)
      expect(pausedAt).toBeLessThan(total / 2)
      expect(heapPaused).toBeLessThan(32 * 1024 * 1024)
    } finally {
      await c.close()
      await server.stop()
    }
  }, 120_000)
})
