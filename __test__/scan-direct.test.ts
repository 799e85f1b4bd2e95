// Record scans on the direct path (crates/napi/src/scan_direct.rs): a scan runs per node over the
// columnar path's own connections and each record is written from the wire into the chunk the
// facade decodes. These tests prove the path is really taken and answers exactly as the crate's
// stream does (the same scan with the path turned off for the client): every bin type, stored
// user keys, named bins, no bins, `deserialize: false`, `maxRecords`, filter expressions, early
// ends, index queries, the scans it leaves to the crate, and a hung or failing server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectedClient, expectSameRows, NS, uniqueSet } from './helpers'

const { Key, GeoJSON, exp } = aerospike

type Row = { ns: string; set: unknown; key: unknown; digest: string; bins: unknown; gen: unknown; ttl: unknown }

/** What a scan delivered, sorted by digest (TTLs to the second they were read at, see `same`). */
function rows(records: aerospike.AerospikeRecord[]): Row[] {
  return records
    .map((r) => ({
      ns: r.key.ns,
      set: r.key.set,
      key: r.key.key,
      digest: Buffer.from(r.key.digest!).toString('hex'),
      bins: r.bins,
      gen: r.gen,
      ttl: r.ttl,
    }))
    .sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0))
}


/** The outcome of a scan: its rows, or its error's code. */
async function outcome(p: Promise<aerospike.AerospikeRecord[]>): Promise<Row[] | { code: number }> {
  try {
    return rows(await p)
  } catch (e) {
    expect(e).toBeInstanceOf(aerospike.AerospikeError)
    return { code: (e as aerospike.AerospikeError).code }
  }
}

/** The same scan with the direct path on and off: both outcomes, and whether it was taken. */
async function both(client: aerospike.Client, scan: () => Promise<aerospike.AerospikeRecord[]>) {
  const native = client._native!
  const before = native.objectDirectScans()
  const on = await outcome(scan())
  const taken = native.objectDirectScans() === before + 1
  native.objectDirectBatches(false)
  try {
    const after = native.objectDirectScans()
    const off = await outcome(scan())
    expect(native.objectDirectScans()).toBe(after)
    return { on, off, taken }
  } finally {
    native.objectDirectBatches(true)
  }
}

describe('record scans on the direct path', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })
  const set = uniqueSet('sdirect')
  const N = 700
  const many: Record<string, number> = {}
  for (let b = 0; b < 40; b++) many[`b${b}`] = b * 3

  beforeAll(async () => {
    const send = { key: aerospike.policy.key.SEND }
    for (let i = 0; i < N; i++) {
      const bins: aerospike.AerospikeBins = {
        i,
        big: BigInt(2) ** BigInt(60) + BigInt(i),
        f: i + 0.25,
        s: `v${i}é`,
        blob: Buffer.from([i & 255, 0, 255]),
        t: i % 2 === 0,
        l: [i, 'x', [1.5, { a: i }], Buffer.from([1])],
        m: { k: i, nested: { deep: [true, null, -i] }, list: ['p', 'q'] },
      }
      if (i % 5 === 0) bins.g = new GeoJSON({ type: 'Point', coordinates: [i / 10, 1] })
      // User keys of every kind, stored on some records only.
      const key = i % 3 === 0 ? `k${i}` : i % 3 === 1 ? i : Buffer.from([i & 255, i >> 8])
      await client.put(new Key(NS, set, key), i === 1 ? many : bins, i % 4 === 0 ? { ttl: 10_000 } : {}, i % 2 ? send : undefined)
    }
  })

  it('every bin type and stored user key, as the crate path delivers them', async () => {
    const { on, off, taken } = await both(client, () => client.scan(NS, set).results())
    expect(taken).toBe(true)
    expectSameRows(on as Row[], off as Row[])
    const got = on as Row[]
    expect(got.length).toBe(N)
    const byI = new Map(got.map((r) => [(r.bins as { i?: number }).i, r]))
    expect(byI.get(3)).toMatchObject({ ns: NS, set, key: 'k3', bins: { i: 3, s: 'v3é', t: false, m: { k: 3 } } })
    expect(byI.get(7)!.key).toBe(7)
    expect(byI.get(5)!.key).toEqual(Buffer.from([5, 0]))
    expect(byI.get(2)!.key).toBeUndefined()
    expect((byI.get(4)!.ttl as number) > 9_000).toBe(true)
    expect((byI.get(5)!.bins as { g: unknown }).g).toBe('{"type":"Point","coordinates":[0.5,1]}')
    expect(got.some((r) => (r.bins as Record<string, number>).b39 === 117)).toBe(true)
  })

  it('named bins (one missing), no bins, and lists and maps as bytes with deserialize: false', async () => {
    const named = await both(client, () => {
      const s = client.scan(NS, set)
      s.select('l', 'f', 'nope')
      return s.results()
    })
    expect(named.taken).toBe(true)
    expectSameRows(named.on as Row[], named.off as Row[])
    const none = await both(client, () => client.scan(NS, set, { nobins: true }).results())
    expect(none.taken).toBe(true)
    expectSameRows(none.on as Row[], none.off as Row[])
    expect((none.on as Row[]).every((r) => Object.keys(r.bins as object).length === 0)).toBe(true)
    const raw = await both(client, () => client.scan(NS, set).results({ deserialize: false }))
    expect(raw.taken).toBe(true)
    expectSameRows(raw.on as Row[], raw.off as Row[])
    expect((raw.on as Row[]).some((r) => Buffer.isBuffer((r.bins as { l: unknown }).l))).toBe(true)
  })

  it('maxRecords takes that many; iteration, events and early ends', async () => {
    const limited = await both(client, () => client.scan(NS, set, { maxRecords: 123 }).results())
    expect(limited.taken).toBe(true)
    expect((limited.on as Row[]).length).toBe((limited.off as Row[]).length)
    expect((limited.on as Row[]).length).toBe(123)
    const before = client._native!.objectDirectScans()
    let n = 0
    for await (const _ of client.scan(NS, set)) n++
    expect(n).toBe(N)
    let seen = 0
    for await (const _ of client.scan(NS, set)) if (++seen === 5) break
    const events: number[] = []
    await new Promise<void>((resolve, reject) => {
      const s = client.scan(NS, set).foreach()
      s.on('data', (r: aerospike.AerospikeRecord) => events.push(r.bins.i as number))
      s.on('error', reject)
      s.on('end', () => resolve())
    })
    expect(events.length).toBe(N)
    expect(client._native!.objectDirectScans()).toBe(before + 3)
    // The client is fine after a scan broken off.
    expect((await client.get(new Key(NS, set, 7))).bins.i).toBe(7)
  })

  it('filter expressions travel with the scan, the same records as on the crate path', async () => {
    for (const filterExpression of [
      exp.gt(exp.binInt('i'), exp.int(600)),
      exp.and(exp.binExists('g'), exp.lt(exp.binInt('i'), exp.int(100))),
      exp.eq(exp.binStr('s'), exp.str('no such value')),
    ]) {
      const { on, off, taken } = await both(client, () => client.scan(NS, set).results({ filterExpression }))
      expect(taken).toBe(true)
      expectSameRows(on as Row[], off as Row[])
    }
    const some = await both(client, () => client.scan(NS, set).results({ filterExpression: exp.gt(exp.binInt('i'), exp.int(600)) }))
    expect((some.on as Row[]).length).toBe(N - 601)
  })

  it('leaves to the crate what it does not send itself, with the same answers', async () => {
    const cases = [
      () => {
        const s = client.scan(NS, set)
        s.partitions(0, 2048)
        return s.results()
      },
      () => client.scan(NS, set, { paginate: true, maxRecords: 50 }).results(),
      () => client.scan('no-such-ns', set).results(),
    ]
    for (const scan of cases) {
      const { on, off, taken } = await both(client, scan)
      expect(taken).toBe(false)
      if (Array.isArray(on) && on.length > 50) expectSameRows(on, off as Row[])
      else expect(Array.isArray(on) ? on.length : on).toEqual(Array.isArray(off) ? off.length : off)
    }
  })
})

describe('index queries on the direct path', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })
  const set = uniqueSet('qdirect')
  const ix = (n: string) => `${set}_${n}`.slice(0, 60)
  const N = 300

  beforeAll(async () => {
    for (let i = 0; i < N; i++) {
      const bins = { n: i % 50, s: `s${i % 7}`, tags: [`t${i % 5}`, `u${i % 3}`], m: { [`k${i % 4}`]: i % 6 }, g: i }
      await client.put(new Key(NS, set, i), bins, {}, i % 2 ? { key: aerospike.policy.key.SEND } : undefined)
    }
    const { LIST, MAPKEYS, MAPVALUES } = aerospike.indexType
    for (const job of [
      client.createIntegerIndex({ ns: NS, set, bin: 'n', index: ix('n') }),
      client.createStringIndex({ ns: NS, set, bin: 's', index: ix('s') }),
      client.createStringIndex({ ns: NS, set, bin: 'tags', index: ix('tags'), type: LIST }),
      client.createStringIndex({ ns: NS, set, bin: 'm', index: ix('mk'), type: MAPKEYS }),
      client.createIntegerIndex({ ns: NS, set, bin: 'm', index: ix('mv'), type: MAPVALUES }),
    ]) {
      await (await job).wait()
    }
  })
  afterAll(async () => {
    for (const n of ['n', 's', 'tags', 'mk', 'mv']) await client.indexRemove(NS, ix(n))
  })

  it('equality and range filters on scalar, list and map indexes answer as on the crate path', async () => {
    const { filter, indexType } = aerospike
    const filters = [
      filter.range('n', 10, 19),
      filter.equal('n', 7),
      filter.equal('s', 's3'),
      filter.contains('tags', 'u1', indexType.LIST),
      filter.contains('m', 'k2', indexType.MAPKEYS),
      filter.range('m', 2, 3, indexType.MAPVALUES),
      filter.range('n', 1000, 2000),
    ]
    for (const f of filters) {
      const { on, off, taken } = await both(client, () => client.query(NS, set).where(f).results())
      expect(taken).toBe(true)
      expectSameRows(on as Row[], off as Row[])
    }
    const named = await both(client, () => {
      const q = client.query(NS, set).where(filter.range('n', 0, 4))
      q.select('s', 'g')
      return q.results()
    })
    expect(named.taken).toBe(true)
    expectSameRows(named.on as Row[], named.off as Row[])
    expect((named.on as Row[]).length).toBe(30)
    const filtered = await both(client, () => client.query(NS, set).where(filter.range('n', 0, 9)).results({ filterExpression: exp.eq(exp.binStr('s'), exp.str('s2')) }))
    expect(filtered.taken).toBe(true)
    expectSameRows(filtered.on as Row[], filtered.off as Row[])
    expect((filtered.on as Row[]).length).toBeGreaterThan(0)
    const limited = await both(client, () => client.query(NS, set, { maxRecords: 11 }).where(filter.range('n', 0, 49)).results())
    expect((limited.on as Row[]).length).toBe(11)
    expect((limited.off as Row[]).length).toBe(11)
  })

  it('leaves to the crate the filters it does not send itself', async () => {
    const ctx = new aerospike.cdt.Context().addListIndex(0)
    const cases = [
      () => client.query(NS, set).where(aerospike.filter.contains('tags', 't1', aerospike.indexType.LIST, ctx)).results(),
      () => client.query(NS, set, { paginate: true, maxRecords: 20 }).where(aerospike.filter.range('n', 0, 9)).results(),
    ]
    for (const q of cases) {
      const before = client._native!.objectDirectScans()
      await q().catch(() => undefined)
      expect(client._native!.objectDirectScans()).toBe(before)
    }
  })
})

describe('record scans on the direct path under faults', () => {
  let server: aerospike.EmbeddedServer
  let c: aerospike.Client
  const set = uniqueSet('sdfaults')
  const N = 500

  beforeAll(async () => {
    server = await aerospike.startServer()
    c = await aerospike.connect({ hosts: server.address })
    // Records of 1 KB: a reply runs over several protos, so a reply cut in half has delivered
    // whole protos, and the next round resumes the partitions after their last record.
    const pad = 'x'.repeat(1000)
    for (let i = 0; i < N; i++) await c.put(new Key(NS, set, i), { i, pad })
  })
  afterEach(() => server.faults.clear())
  afterAll(async () => {
    await c.close()
    await server.stop()
  })

  it('a hung server: the timeout error, bounded by totalTimeout, as on the crate path', async () => {
    server.faults.inject({ type: 'hang' })
    const t0 = performance.now()
    const { on, off, taken } = await both(c, () => c.scan(NS, set).results({ totalTimeout: 150, maxRetries: 0 }))
    expect(performance.now() - t0).toBeLessThan(2 * 150 + 400)
    expect(taken).toBe(true)
    expect(on).toEqual({ code: aerospike.status.ERR_TIMEOUT })
    expect(off).toEqual(on)
  })

  it('a connection broken mid-reply is scanned again from where it stopped: each record once', async () => {
    server.faults.inject({ type: 'close-mid-response', count: 1 })
    const before = c._native!.objectDirectScans()
    const got = await c.scan(NS, set).results({ maxRetries: 3 })
    expect(c._native!.objectDirectScans()).toBe(before + 1)
    const values = got.map((r) => r.bins.i as number).sort((a, b) => a - b)
    expect(values).toEqual(Array.from({ length: N }, (_, i) => i))
  })

  it('an index query broken mid-reply resumes after its last record (digest and bval): each record once', async () => {
    await (await c.createIntegerIndex({ ns: NS, set, bin: 'i', index: `${set}_i` })).wait()
    server.faults.inject({ type: 'close-mid-response', count: 1 })
    const before = c._native!.objectDirectScans()
    const commands = server.faults.commands()
    const got = await c.query(NS, set).where(aerospike.filter.range('i', 100, 399)).results({ maxRetries: 3 })
    expect(c._native!.objectDirectScans()).toBe(before + 1)
    expect(server.faults.commands() - commands).toBe(2)
    const values = got.map((r) => r.bins.i as number).sort((a, b) => a - b)
    expect(values).toEqual(Array.from({ length: 300 }, (_, i) => 100 + i))
  })
})
