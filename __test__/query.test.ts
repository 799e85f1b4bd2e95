// Scans and queries through our client: results, selection, pagination, event streams, async
// iteration with backpressure, partition ranges, and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectClient, embedded, serverFrom81, NS, uniqueSet } from './helpers'

let client: aerospike.Client
const from81 = await serverFrom81()
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
  it('deserialize: false gives list bins as their msgpack bytes', async () => {
    const s = uniqueSet('raw')
    await client.put(new aerospike.Key(NS, s, 1), { l: [1, 5, 9], n: 1 })
    const rs = await client.scan(NS, s).results(new aerospike.QueryPolicy({ deserialize: false }) as never)
    expect(rs.map((r) => r.bins)).toEqual([{ l: Buffer.from([0x93, 1, 5, 9]), n: 1 }])
  })

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

  it('the record iterator keeps the order of calls made together, ends on return() and after a failure', async () => {
    const it1 = client.scan(NS, set)[Symbol.asyncIterator]()
    // Calls made before the first chunk arrived resolve in order, each with its own record.
    const first = await Promise.all(Array.from({ length: 300 }, () => it1.next()))
    expect(first.every((r) => !r.done)).toBe(true)
    const seen = new Set(first.map((r) => (r.value as aerospike.AerospikeRecord).bins.i))
    expect(seen.size).toBe(300)
    expect(await it1.return(undefined)).toEqual({ value: undefined, done: true })
    expect((await it1.next()).done).toBe(true)
    // A failure rejects the call that met it; the iteration is over afterwards.
    const it2 = client.scan('nope', set)[Symbol.asyncIterator]()
    await expect(it2.next()).rejects.toBeInstanceOf(aerospike.AerospikeError)
    expect((await it2.next()).done).toBe(true)
    // throw() ends it too, with that error.
    const it3 = client.scan(NS, set).stream()
    expect((await it3.next()).done).toBe(false)
    await expect(it3.throw(new Error('stop'))).rejects.toThrow('stop')
    expect((await it3.next()).done).toBe(true)
    // A page read by iteration leaves the cursor of the next one.
    const paged = client.scan(NS, set, { paginate: true, maxRecords: 200 })
    const pages: number[] = []
    while (paged.hasNextPage()) {
      let n = 0
      for await (const _ of paged.stream()) n++
      pages.push(n)
      if (pages.length > 5) break
    }
    expect(pages.reduce((a, b) => a + b, 0)).toBe(N)
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
  it('integer, list and geo indexes answer range, contains and radius queries; removal brings back 201', async () => {
    const qset = uniqueSet('qidx')
    const ix = (n: string) => `${qset}_${n}`.slice(0, 60)
    for (let i = 0; i < 100; i++) {
      await client.put(new aerospike.Key(NS, qset, i), { n: i, tags: [`t${i % 5}`], loc: new aerospike.GeoJSON({ type: 'Point', coordinates: [i / 10, i / 10] }) })
    }
    await (await client.createIntegerIndex({ ns: NS, set: qset, bin: 'n', index: ix('n') })).wait()
    const range = await client.query(NS, qset).where(aerospike.filter.range('n', 10, 19)).results()
    expect(range.map((r) => r.bins.n as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 10 + i))
    const eq = await client.query(NS, qset).where(aerospike.filter.equal('n', 42)).select('n').results()
    expect(eq.map((r) => r.bins)).toEqual([{ n: 42 }])
    // The index named instead of the bin (whereWithIndexName), as the official client allows
    // (servers from 8.1 on).
    const named = client.query(NS, qset).whereWithIndexName(aerospike.filter.range(null as never, 40, 44), ix('n'))
    expect(named.filters[0]!.indexName).toBe(ix('n'))
    if (from81) expect((await named.results()).map((r) => r.bins.n as number).sort((a, b) => a - b)).toEqual([40, 41, 42, 43, 44])
    await expect(client.query(NS, qset).where(aerospike.filter.equal(null as never, 4)).results()).rejects.toThrow(TypeError)
    // As typed officially, a context may stand in equal()'s third argument.
    const ctxFilter = aerospike.filter.equal('n', 1, new aerospike.cdt.Context().addListIndex(0))
    expect([ctxFilter.indexType, Buffer.isBuffer(ctxFilter.context)]).toEqual([aerospike.indexType.DEFAULT, true])
    // Writes after the index exists are indexed too.
    await client.put(new aerospike.Key(NS, qset, 'late'), { n: 15 })
    expect(await client.query(NS, qset).where(aerospike.filter.range('n', 15, 15)).results()).toHaveLength(2)

    await (await client.createStringIndex({ ns: NS, set: qset, bin: 'tags', index: ix('tags'), type: aerospike.indexType.LIST })).wait()
    const tagged = await client.query(NS, qset).where(aerospike.filter.contains('tags', 't3', aerospike.indexType.LIST)).results()
    expect(tagged).toHaveLength(20)
    expect(tagged.every((r) => (r.bins.n as number) % 5 === 3)).toBe(true)

    await (await client.createGeo2DSphereIndex({ ns: NS, set: qset, bin: 'loc', index: ix('loc') })).wait()
    // Points (i/10, i/10) within 200 km of (0, 0): distance grows ~15.7 km per step.
    const near = await client.query(NS, qset).where(aerospike.filter.geoWithinRadius('loc', 0, 0, 200_000)).results()
    expect(near.map((r) => r.bins.n as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 13 }, (_, i) => i))

    // Paging an index query.
    const paged = client.query(NS, qset, { paginate: true, maxRecords: 7 }).where(aerospike.filter.range('n', 0, 49))
    const seen: number[] = []
    do seen.push(...(await paged.results()).map((r) => r.bins.n as number))
    while (paged.hasNextPage() && seen.length < 200)
    expect(seen.sort((a, b) => a - b)).toEqual([...Array.from({ length: 50 }, (_, i) => i), 15].sort((a, b) => a - b))

    for (const n of ['n', 'tags', 'loc']) await client.indexRemove(NS, ix(n))
    const err = await client.query(NS, qset).where(aerospike.filter.range('n', 10, 19)).results().catch((e) => e)
    expect(err.code).toBe(aerospike.status.ERR_INDEX_NOT_FOUND)
    // A namespace the server does not have: a real CE 8.0 server answers ok (and indexes nothing).
    await client.createIndex({ ns: 'nope', bin: 'x', index: 'y', datatype: aerospike.indexDataType.NUMERIC })
    await expect(client.createIndex({ ns: NS, bin: 'x;y', index: 'z', datatype: aerospike.indexDataType.NUMERIC })).rejects.toBeInstanceOf(TypeError)
  })

  it('indexes on a nested element (context) and on an expression answer their queries', async () => {
    const qset = uniqueSet('qctx')
    for (let i = 0; i < 40; i++) await client.put(new aerospike.Key(NS, qset, i), { m: { a: i, b: 'x' }, age: i })
    const ctx = new aerospike.cdt.Context().addMapKey('a')
    await (await client.createIntegerIndex({ ns: NS, set: qset, bin: 'm', index: `${qset}_ma`, context: ctx })).wait()
    const nested = await client.query(NS, qset).where(aerospike.filter.range('m', 10, 14, aerospike.indexType.DEFAULT, ctx)).results()
    expect(nested.map((r) => r.bins.age as number).sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14])
    await client.indexRemove(NS, `${qset}_ma`)
    await expect(client.createExpIndex({ ns: NS, index: 'x', datatype: aerospike.indexDataType.NUMERIC } as never)).rejects.toBeInstanceOf(TypeError)
    // Expression indexes came with server 8.1.
    if (!from81) return

    const doubled = aerospike.exp.mul(aerospike.exp.binInt('age'), aerospike.exp.int(2))
    const job = await client.createExpIndex({ ns: NS, set: qset, index: `${qset}_x2`, exp: doubled, datatype: aerospike.indexDataType.NUMERIC })
    await job.waitUntilDone(20)
    const viaExp = await client.query(NS, qset).whereWithExp(aerospike.filter.range('unused', 20, 29), doubled).results()
    expect(viaExp.map((r) => r.bins.age as number).sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14])
    await client.indexRemove(NS, `${qset}_x2`)
  })

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
