// The client against a multi-node embedded cluster: every key goes to its owning node, a node
// added later is discovered through peers, and a stopped node's partitions are served by the
// others with no action by the caller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, NS, uniqueSet } from './helpers'

let cluster: aerospike.EmbeddedCluster
let client: aerospike.Client
const set = uniqueSet('cluster')
const keys = Array.from({ length: 600 }, (_, i) => new aerospike.Key(NS, set, i))

async function until(cond: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  cluster = await aerospike.startCluster({ nodes: 3 })
  client = await aerospike.connect({ hosts: await cluster.seed(), tenderInterval: 250 })
  await until(() => client.stats().nodes.length === 3)
})
afterAll(async () => {
  await client.close()
  await cluster.stop()
})

describe('embedded cluster', () => {
  it('routes every single-record command to the node owning the partition', async () => {
    const before = cluster.misrouted()
    await Promise.all(keys.map((k, i) => client.put(k, { i })))
    const got = await Promise.all(keys.map((k) => client.get(k)))
    expect(got.map((r) => r.bins.i)).toEqual(keys.map((_, i) => i))
    await Promise.all(keys.slice(0, 100).map((k) => client.operate(k, [aerospike.operations.incr('i', 1)])))
    expect(cluster.misrouted() - before).toBe(0)
    // Batches and scans span the nodes and see every record.
    expect((await client.batchGet(keys)).filter((r) => r.status === aerospike.status.OK)).toHaveLength(keys.length)
    expect(await client.scan(NS, set).results()).toHaveLength(keys.length)
    // Columnar reads split the keys by owning node too, and agree with the object reads.
    const atCols = cluster.misrouted()
    const cols = await client.batchReadColumns(keys, { i: 'i64' })
    expect(cluster.misrouted() - atCols).toBe(0)
    const objs = await client.batchGet(keys)
    expect(Array.from(cols.columns.i, Number)).toEqual(objs.map((r) => r.record.bins.i))
    expect(Array.from(cols.gen)).toEqual(objs.map((r) => r.record.gen))
    // One node after another gives the same answers.
    const seq = await client.batchReadColumns(keys, { i: 'i64' }, { concurrent: false })
    expect(Array.from(seq.columns.i)).toEqual(Array.from(cols.columns.i))
    const seqObjs = await client.batchGet(keys, { concurrent: false })
    expect(seqObjs.map((r) => r.record.bins.i)).toEqual(objs.map((r) => r.record.bins.i))
    await expect(client.batchGet(keys, { concurrent: 'yes' } as never)).rejects.toThrow(TypeError)
  })

  it('a 10,000-key batch spread over the nodes: objects and columns, no misroutes', async () => {
    const s = uniqueSet('cluster-big')
    const many = Array.from({ length: 10_000 }, (_, i) => new aerospike.Key(NS, s, i))
    for (let i = 0; i < many.length; i += 1000) {
      await client.batchWrite(many.slice(i, i + 1000).map((key, j) => ({ type: aerospike.batchType.BATCH_WRITE, key, ops: [aerospike.operations.write('v', i + j)] })))
    }
    const before = cluster.misrouted()
    const objs = await client.batchGet(many)
    const cols = await client.batchReadColumns(many, { v: 'i64' })
    expect(cluster.misrouted() - before).toBe(0)
    expect(objs.every((r, i) => r.status === 0 && r.record.bins.v === i)).toBe(true)
    expect(Array.from(cols.columns.v, Number)).toEqual(many.map((_, i) => i))
  })

  it('discovers a node added later through peers, and routes to it', async () => {
    const gen = cluster.generation()
    const added = await cluster.addNode()
    expect(cluster.generation()).toBeGreaterThan(gen)
    await until(() => client.stats().nodes.some((n) => n.address === added))
    // The new node's partition map arrives with the next tend (interval 250 ms).
    await new Promise((r) => setTimeout(r, 1000))
    const before = cluster.misrouted()
    await Promise.all(keys.map((k) => client.get(k)))
    expect(cluster.misrouted() - before).toBe(0)
  })

  it('scans and index queries span the nodes on the direct path: every record once, as on the crate path', async () => {
    const s = uniqueSet('cluster-scan')
    const many = Array.from({ length: 3000 }, (_, i) => new aerospike.Key(NS, s, i))
    for (let i = 0; i < many.length; i += 1000) {
      await client.batchWrite(many.slice(i, i + 1000).map((key, j) => ({ type: aerospike.batchType.BATCH_WRITE, key, ops: [aerospike.operations.write('v', i + j)] })))
    }
    await (await client.createIntegerIndex({ ns: NS, set: s, bin: 'v', index: `${s}_v` })).wait()
    const values = (rs: aerospike.AerospikeRecord[]) => rs.map((r) => r.bins.v as number).sort((a, b) => a - b)
    const native = client._native!
    const before = native.objectDirectScans()
    const scanned = values(await client.scan(NS, s).results())
    const q = client.query(NS, s)
    q.where(aerospike.filter.range('v', 1000, 1999))
    const queried = values(await q.results())
    expect(native.objectDirectScans()).toBe(before + 2)
    expect(scanned).toEqual(many.map((_, i) => i))
    expect(queried).toEqual(Array.from({ length: 1000 }, (_, i) => 1000 + i))
    native.objectDirectBatches(false)
    try {
      expect(values(await client.scan(NS, s).results())).toEqual(scanned)
    } finally {
      native.objectDirectBatches(true)
    }
    await client.indexRemove(NS, `${s}_v`)
  })

  // (An embedded node that stops finishes the replies already under way, so this proves the
  // scan's outcome, not its rounds: those are proven against faults in scan-direct.test.ts.)
  it('a node stopped while a scan streams from the cluster: every record still arrives once', async () => {
    const s = uniqueSet('cluster-loss')
    const N = 9000
    const pad = 'p'.repeat(4000)
    const many = Array.from({ length: N }, (_, i) => new aerospike.Key(NS, s, i))
    for (let i = 0; i < N; i += 500) {
      await client.batchWrite(many.slice(i, i + 500).map((key, j) => ({ type: aerospike.batchType.BATCH_WRITE, key, ops: [aerospike.operations.write('v', i + j), aerospike.operations.write('pad', pad)] })))
    }
    const addresses = await cluster.addresses()
    const before = client._native!.objectDirectScans()
    const seen = new Map<number, number>()
    let stopped = false
    // The node goes after the first record, while the node tasks wait on this consumer.
    for await (const r of client.scan(NS, s).stream({ maxRetries: 20 })) {
      const v = r.bins.v as number
      seen.set(v, (seen.get(v) ?? 0) + 1)
      if (!stopped) {
        stopped = true
        await cluster.stopNode(addresses.length - 1)
      }
    }
    expect(client._native!.objectDirectScans()).toBe(before + 1)
    expect(seen.size).toBe(N)
    expect([...seen.values()].every((c) => c === 1)).toBe(true)
  })

  it('keeps serving after a node stops: its partitions move to the survivors', async () => {
    const addresses = await cluster.addresses()
    await cluster.stopNode(0)
    await until(() => !client.stats().nodes.some((n) => n.address === addresses[0]))
    await new Promise((r) => setTimeout(r, 1000))
    const before = cluster.misrouted()
    const got = await Promise.all(keys.map((k) => client.get(k)))
    expect(got).toHaveLength(keys.length)
    expect(cluster.misrouted() - before).toBe(0)
    await client.put(keys[0]!, { after: true })
    expect((await client.get(keys[0]!)).bins.after).toBe(true)
  })

  it('rejects bad cluster options', async () => {
    await expect(aerospike.startCluster({ nodes: 0 })).rejects.toBeInstanceOf(TypeError)
    await expect(aerospike.startCluster({ nodes: 1.5 })).rejects.toBeInstanceOf(TypeError)
  })
})
