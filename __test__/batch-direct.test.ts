// Object batch reads on the direct path (crates/napi/src/batch_direct.rs): plain reads of the same
// bins go to the nodes over the columnar path's own connections and each record is transcoded
// from the wire. These tests prove the path is really taken, and that it answers exactly as the
// crate's batch does (the same calls with the path turned off for the client): found and missing
// keys, every bin type (lists and maps, nested, with and without `deserialize`), named bins,
// header-only reads, records of many bins, and the batches it leaves to the crate.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectedClient, expectSameRows, NS, uniqueSet } from './helpers'

const { Key, GeoJSON, operations: op, exp } = aerospike

type Row = { status: number; bins: unknown; gen: unknown; ttl: unknown; key: unknown }

/** What a batch answered, row by row (the TTL to the second it was read at, see `same`). */
function rows(res: aerospike.BatchResult[]): Row[] {
  return res.map((r) => ({
    status: r.status,
    bins: r.record?.bins,
    gen: r.record?.gen,
    ttl: r.record?.ttl,
    key: r.record?.key,
  }))
}

describe('object batch reads on the direct path', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })
  const set = uniqueSet('bdirect')
  const keys = Array.from({ length: 60 }, (_, i) => new Key(NS, set, i))
  const many: Record<string, number> = {}
  for (let b = 0; b < 40; b++) many[`b${b}`] = b * 3

  beforeAll(async () => {
    for (const [i, k] of keys.entries()) {
      if (i % 7 === 3) continue // missing keys
      const bins: aerospike.AerospikeBins = {
        i,
        big: BigInt(2) ** BigInt(60) + BigInt(i),
        f: i + 0.25,
        s: `v${i}é`,
        blob: Buffer.from([i, 0, 255]),
        t: i % 2 === 0,
        l: [i, 'x', [1.5, { a: i }], Buffer.from([1])],
        m: { k: i, nested: { deep: [true, null, -i] }, list: ['p', 'q'] },
      }
      if (i % 5 === 0) bins.g = new GeoJSON({ type: 'Point', coordinates: [i / 10, 1] })
      await client.put(k, bins, i % 4 === 0 ? { ttl: 10_000 } : {})
    }
    await client.put(keys[1], many)
  })

  const direct = () => client._native!.objectDirectBatches()

  /** The same call with the direct path on and off: both answers, and whether it was taken. */
  async function both(call: () => Promise<aerospike.BatchResult[]>): Promise<{ on: Row[]; off: Row[]; taken: boolean }> {
    const before = direct()
    const on = rows(await call())
    const taken = direct() === before + 1
    client._native!.objectDirectBatches(false)
    try {
      const after = direct()
      const off = rows(await call())
      expect(direct()).toBe(after)
      return { on, off, taken }
    } finally {
      client._native!.objectDirectBatches(true)
    }
  }


  it('all bins of found and missing keys, every bin type', async () => {
    const { on, off, taken } = await both(() => client.batchRead(keys.map((key) => ({ key, readAllBins: true }))))
    expect(taken).toBe(true)
    expectSameRows(on, off)
    expect(on[3]!.status).toBe(aerospike.status.ERR_RECORD_NOT_FOUND)
    expect(on[0]!.bins).toMatchObject({ i: 0, s: 'v0é', t: true, m: { k: 0, list: ['p', 'q'] } })
    expect(on[0]!.ttl).toBeGreaterThan(9_000)
    expect(on[1]!.bins).toMatchObject(many)
    expect((on[5]!.bins as { g: unknown }).g).toBe('{"type":"Point","coordinates":[0.5,1]}')
  })

  it('named bins (one of them missing), lists and maps as msgpack bytes with deserialize: false', async () => {
    const named = await both(() => client.batchRead(keys.map((key) => ({ key, bins: ['l', 'm', 'f', 'nope'] }))))
    expect(named.taken).toBe(true)
    expectSameRows(named.on, named.off)
    expect(named.on[2]!.bins).toEqual({ f: 2.25, l: [2, 'x', [1.5, { a: 2 }], Buffer.from([1])], m: expect.any(Object) })
    const raw = await both(() => client.batchRead(keys.map((key) => ({ key, readAllBins: true })), { deserialize: false }))
    expect(raw.taken).toBe(true)
    expectSameRows(raw.on, raw.off)
    expect(Buffer.isBuffer((raw.on[0]!.bins as { l: unknown }).l)).toBe(true)
  })

  it('a batch filter expression: rows it rejects are FILTERED_OUT, as on the crate path', async () => {
    const filterExpression = exp.gt(exp.binInt('i'), exp.int(4))
    const { on, off, taken } = await both(() => client.batchRead(keys.slice(0, 10).map((key) => ({ key, readAllBins: true })), { filterExpression }))
    expect(taken).toBe(true)
    expectSameRows(on, off)
    expect(on.map((r) => r.status)).toEqual(keys.slice(0, 10).map((_, i) => (i === 3 ? 2 : i > 4 ? 0 : aerospike.status.FILTERED_OUT)))
  })

  it('header-only reads, batchGet and batchSelect', async () => {
    for (const call of [
      () => client.batchRead(keys.map((key) => ({ key }))),
      () => client.batchGet(keys.slice(0, 20)) as Promise<aerospike.BatchResult[]>,
      () => client.batchSelect(keys.slice(0, 20), ['s', 'blob']) as Promise<aerospike.BatchResult[]>,
      // One key (the crate's batch runs a single-record read for it) and one missing key.
      () => client.batchRead([{ key: keys[0]!, readAllBins: true }]),
      () => client.batchRead([{ key: keys[3]!, bins: ['i'] }]),
    ]) {
      const { on, off, taken } = await both(call)
      expect(taken).toBe(true)
      expectSameRows(on, off)
    }
  })

  it('leaves to the crate what it does not send itself, with the same answers', async () => {
    const cases = [
      // Rows reading different bins, rows with operations, a filter expression.
      () => client.batchRead([{ key: keys[0]!, readAllBins: true }, { key: keys[2]!, bins: ['i'] }]),
      () => client.batchRead([{ key: keys[0]!, ops: [op.read('i')] }]),
      // A namespace the cluster does not have (no master is known for it).
      () => client.batchRead([{ key: new Key('no-such-ns', set, 1), readAllBins: true }]),
    ]
    for (const call of cases) {
      const before = direct()
      let on: Row[] | number
      try {
        on = rows(await call())
      } catch (e) {
        on = (e as aerospike.AerospikeError).code
      }
      expect(direct()).toBe(before)
      client._native!.objectDirectBatches(false)
      let off: Row[] | number
      try {
        off = rows(await call())
      } catch (e) {
        off = (e as aerospike.AerospikeError).code
      } finally {
        client._native!.objectDirectBatches(true)
      }
      expect(on).toEqual(off)
    }
  })
})

describe('object batch reads on the direct path under faults', () => {
  let server: aerospike.EmbeddedServer
  let c: aerospike.Client
  const set = uniqueSet('bdfaults')
  const keys = [new Key(NS, set, 'a'), new Key(NS, set, 'missing'), new Key(NS, set, 'b')]
  const reads = keys.map((key) => ({ key, readAllBins: true }))

  beforeAll(async () => {
    server = await aerospike.startServer()
    c = await aerospike.connect({ hosts: server.address })
    await c.put(keys[0]!, { v: 1, l: [1, 2] })
    await c.put(keys[2]!, { v: 3 })
  })
  afterEach(() => server.faults.clear())
  afterAll(async () => {
    await c.close()
    await server.stop()
  })

  /** The outcome of a call: its rows, or its error's code and in-doubt flag. */
  async function outcome(p: Promise<aerospike.BatchResult[]>): Promise<unknown> {
    try {
      return rows(await p)
    } catch (e) {
      const err = e as aerospike.AerospikeError
      expect(err).toBeInstanceOf(aerospike.AerospikeError)
      return { code: err.code, inDoubt: err.inDoubt }
    }
  }

  it('a hung server: rows that carry the timeout, bounded by totalTimeout, as on the crate path', async () => {
    server.faults.inject({ type: 'hang' })
    const before = c._native!.objectDirectBatches()
    const t0 = performance.now()
    const on = await outcome(c.batchRead(reads, { totalTimeout: 150, maxRetries: 0 }))
    expect(performance.now() - t0).toBeLessThan(150 + 100)
    expect(c._native!.objectDirectBatches()).toBe(before + 1)
    c._native!.objectDirectBatches(false)
    try {
      expect(await outcome(c.batchRead(reads, { totalTimeout: 150, maxRetries: 0 }))).toEqual(on)
    } finally {
      c._native!.objectDirectBatches(true)
    }
    expect((on as Row[]).map((r) => [r.status, r.bins])).toEqual(keys.map(() => [aerospike.status.ERR_TIMEOUT, undefined]))
  })

  it('a connection closed mid-reply, garbage or a forced code: the answer of the crate path', async () => {
    for (const fault of [
      { type: 'close-mid-response', count: 1 },
      { type: 'garbage', count: 1 },
      { type: 'code', code: aerospike.status.ERR_SERVER, count: 1 },
    ] as const) {
      server.faults.inject(fault)
      const on = await outcome(c.batchRead(reads, { totalTimeout: 1000, maxRetries: 1 }))
      server.faults.clear()
      server.faults.inject(fault)
      c._native!.objectDirectBatches(false)
      try {
        expect(await outcome(c.batchRead(reads, { totalTimeout: 1000, maxRetries: 1 }))).toEqual(on)
      } finally {
        c._native!.objectDirectBatches(true)
        server.faults.clear()
      }
    }
    // And the next batch is answered on this path again.
    const before = c._native!.objectDirectBatches()
    expect(rows(await c.batchRead(reads)).map((r) => r.status)).toEqual([0, 2, 0])
    expect(c._native!.objectDirectBatches()).toBe(before + 1)
  })
})
