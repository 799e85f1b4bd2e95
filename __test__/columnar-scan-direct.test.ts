import { beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectedClient, expectCode, NS, uniqueSet } from './helpers'

const { Key } = aerospike
const N = 1500

/** Record i: an integer, a float, a string (some lack it), bytes and a list; a few hold a mismatched type. */
function bins(i: number): Record<string, unknown> {
  const b: Record<string, unknown> = { i, f: i / 4, name: `n${i}`, raw: Buffer.from([i & 0xff, i >> 8]), v: [i, -i] }
  if (i % 7 === 3) delete b.name
  if (i % 11 === 5) b.f = 'not a number'
  return b
}

const spec = { i: 'i64', f: 'f64', name: 'str', raw: 'bytes', v: 'list<i64>', gone: 'i32' } as const
type Spec = typeof spec

interface Row {
  status: number
  gen: number
  ttl: number
  key: unknown
  cells: unknown[]
}

/** Every row of every batch by digest (hex), each cell as [valid, value]; checks batch sizes. */
async function rowsOf(it: AsyncIterable<aerospike.ScanColumns<Spec>>, rows: number): Promise<[Map<string, Row>, number]> {
  const out = new Map<string, Row>()
  let batches = 0
  for await (const b of it) {
    batches++
    expect(b.length).toBeGreaterThan(0)
    expect(b.length).toBeLessThanOrEqual(rows)
    for (let r = 0; r < b.length; r++) {
      const cells = Object.keys(spec).map((name) => {
        const col = (b.columns as Record<string, unknown>)[name] as { get?: (r: number) => unknown } & ArrayLike<unknown>
        const v = typeof col.get === 'function' ? col.get(r) : col[r]
        const value = v instanceof BigInt64Array ? Array.from(v) : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v
        return [b.valid[name as keyof Spec][r], value]
      })
      const key = b.userKey === null ? null : [b.userKeyValid?.[r], (b.userKey as BigInt64Array)[r]]
      const digest = Buffer.from(b.digest.subarray(20 * r, 20 * r + 20)).toString('hex')
      expect(out.has(digest)).toBe(false)
      out.set(digest, { status: b.status[r], gen: b.gen[r], ttl: b.ttl[r], key, cells })
    }
  }
  return [out, batches]
}

describe('columnar scans on the direct wire path', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })
  const set = uniqueSet('coldirect')
  const direct = () => client._native!.columnarDirectScans()
  beforeAll(async () => {
    const p = new aerospike.WritePolicy({ key: aerospike.policy.key.SEND })
    for (let i = 0; i < N; i += 500) {
      await client.batchWrite(
        Array.from({ length: 500 }, (_, j) => ({ type: aerospike.batchType.BATCH_WRITE, key: new Key(NS, set, i + j), policy: p, ops: Object.entries(bins(i + j)).map(([k, v]) => aerospike.operations.write(k, v as never)) })),
      )
    }
  })

  /** The same scan through the crate's record stream (a page keeps the query on that path). */
  const viaCrate = (rows: number) => client.scan(NS, set, { paginate: true }).columns(spec, { rows })

  it('returns exactly the rows of the crate path, across batches of any size', async () => {
    const before = direct()
    const [want, crateBatches] = await rowsOf(viaCrate(400), 400)
    expect(direct()).toBe(before)
    expect(want.size).toBe(N)
    expect(crateBatches).toBe(Math.ceil(N / 400))
    for (const rows of [400, N, 5000, 4096 + 17]) {
      const [got, batches] = await rowsOf(client.scan(NS, set).columns(spec, { rows }), rows)
      expect(batches).toBe(Math.ceil(N / rows))
      expect(got.size).toBe(N)
      for (const [digest, row] of want) {
        const g = got.get(digest)!
        expect(Math.abs(g.ttl - row.ttl)).toBeLessThanOrEqual(1)
        expect({ ...g, ttl: 0 }).toEqual({ ...row, ttl: 0 })
      }
    }
    expect(direct()).toBe(before + 4)
    // Spot-check the values themselves, not only the agreement of both paths.
    const some = [...want.values()].find((r) => (r.cells[0] as unknown[])[1] === 5n)!
    expect(some.cells).toEqual([[1, 5n], [0, Number.NaN], [1, 'n5'], [1, '0500'], [1, [5n, -5n]], [0, 0]])
    expect(some.key).toEqual([1, 5n])
  })

  it('rows of 1 give one batch per record; maxRecords caps the rows', async () => {
    const s = uniqueSet('coldirect1')
    for (let i = 0; i < 5; i++) await client.put(new Key(NS, s, i), { i })
    const [one, batches] = await rowsOf(client.scan(NS, s).columns(spec, { rows: 1 }), 1)
    expect([one.size, batches]).toEqual([5, 5])
    const before = direct()
    const [capped] = await rowsOf(client.scan(NS, set, { maxRecords: 100 }).columns(spec, { rows: 30 }), 30)
    expect(direct()).toBe(before + 1)
    expect(capped.size).toBeGreaterThan(0)
    expect(capped.size).toBeLessThanOrEqual(100)
  })

  it('an early break stops the scan and leaks nothing', async () => {
    for (let round = 0; round < 20; round++) {
      let batches = 0
      for await (const b of client.scan(NS, set).columns(spec, { rows: 10 })) {
        batches++
        expect(b.length).toBe(10)
        break
      }
      expect(batches).toBe(1)
    }
    // The client and the path still work: a whole scan afterwards sees every record.
    const [all] = await rowsOf(client.scan(NS, set).columns(spec, { rows: 512 }), 512)
    expect(all.size).toBe(N)
    expect((await client.get(new Key(NS, set, 1))).bins.i).toBe(1)
  })

  it('an empty set gives no batch', async () => {
    const before = direct()
    const [none, batches] = await rowsOf(client.scan(NS, uniqueSet('coldirectnone')).columns(spec), 8192)
    expect([none.size, batches]).toEqual([0, 0])
    expect(direct()).toBe(before + 1)
  })

  it('a server error is an AerospikeError with its code', async () => {
    const run = async () => {
      for await (const _ of client.scan('no-such-namespace', set).columns(spec)) {
        /* no batch expected */
      }
    }
    const e = await expectCode(run(), aerospike.status.ERR_NAMESPACE_NOT_FOUND)
    expect(e).toBeInstanceOf(aerospike.AerospikeError)
  })
})
