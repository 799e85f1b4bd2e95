import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectedClient, hosts, NS, uniqueSet } from './helpers'

const { Key, batchType, operations: op, status } = aerospike

describe('batch commands', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })
  const set = uniqueSet('batch')
  const keys = Array.from({ length: 10 }, (_, i) => new Key(NS, set, `k${i}`))
  beforeAll(async () => {
    // Even keys exist, odd keys do not.
    for (let i = 0; i < 10; i += 2) await client.put(keys[i], { i, f: i + 0.5, s: `v${i}` })
  })

  it('a read row with neither bins nor readAllBins reads the metadata only, as the official client', async () => {
    const res = (await client.batchRead([{ key: keys[0] }, { key: keys[1] }])) as aerospike.BatchResult[]
    expect(res.map((r) => r.status)).toEqual([0, 2])
    expect(res[0].record.bins).toEqual({})
    expect(res[0].record.gen).toBe(1)
    const rows = (await client.batchWrite([{ type: aerospike.batchType.BATCH_READ, key: keys[0] }])) as aerospike.BatchResult[]
    expect([rows[0].status, rows[0].record.bins, rows[0].record.gen]).toEqual([0, {}, 1])
  })

  it('batchRead: mixed found / missing, bin selection, per-record status', async () => {
    const res = (await client.batchRead([
      { key: keys[0], readAllBins: true },
      { key: keys[1], readAllBins: true },
      { key: keys[2], bins: ['i'] },
      { key: keys[4], ops: [op.read('s')] },
    ])) as aerospike.BatchResult[]
    expect(res.map((r) => r.status)).toEqual([0, 2, 0, 0])
    expect(res[0].record.bins).toEqual({ i: 0, f: 0.5, s: 'v0' })
    expect(res[0].record.gen).toBe(1)
    expect(res[0].record.key).toBe(keys[0])
    expect(res[2].record.bins).toEqual({ i: 2 })
    expect(res[3].record.bins).toEqual({ s: 'v4' })
  })

  it('batchGet, batchSelect, batchExists', async () => {
    const got = (await client.batchGet(keys.slice(0, 4))) as aerospike.BatchResult[]
    expect(got.map((r) => r.status)).toEqual([0, 2, 0, 2])
    expect(got[2].record.bins).toEqual({ i: 2, f: 2.5, s: 'v2' })
    const sel = (await client.batchSelect(keys.slice(0, 3), ['s'])) as aerospike.BatchResult[]
    expect(sel.map((r) => r.record.bins)).toEqual([{ s: 'v0' }, undefined, { s: 'v2' }])
    const ex = (await client.batchExists(keys.slice(0, 3))) as aerospike.BatchResult[]
    expect(ex.map((r) => r.status)).toEqual([0, 2, 0])
    expect(ex[0].record.gen).toBe(1)
  })

  it('empty batches resolve with an empty array', async () => {
    expect(await client.batchGet([])).toEqual([])
    expect(await client.batchRead([])).toEqual([])
    expect(await client.batchWrite([])).toEqual([])
  })

  it('duplicate keys get one result each, in order', async () => {
    const res = (await client.batchGet([keys[0], keys[0], keys[1], keys[0]])) as aerospike.BatchResult[]
    expect(res.map((r) => r.status)).toEqual([0, 0, 2, 0])
    expect(res.map((r) => r.record.bins?.i)).toEqual([0, 0, undefined, 0])
  })

  it('batchWrite: operate, remove and read rows with per-row results', async () => {
    const s = uniqueSet('bw')
    const k1 = new Key(NS, s, 1)
    const k2 = new Key(NS, s, 2)
    await client.put(k2, { a: 1 })
    const res = (await client.batchWrite([
      { type: batchType.BATCH_WRITE, key: k1, ops: [op.write('a', 10), op.incr('n', 1)] },
      { type: batchType.BATCH_REMOVE, key: k2 },
      { type: batchType.BATCH_READ, key: k1, readAllBins: true },
      { type: batchType.BATCH_WRITE, key: new Key(NS, s, 3), ops: [op.write('x', 1)], policy: { exists: aerospike.policy.exists.UPDATE } },
    ])) as aerospike.BatchResult[]
    expect(res.map((r) => r.status)).toEqual([0, 0, 0, 2])
    expect(res[2].record.bins).toEqual({ a: 10, n: 1 })
    expect(await client.exists(k2)).toBe(false)
    await expect(client.batchWrite([{ type: 99, key: k1 } as never])).rejects.toThrow(TypeError)
  })

  it('batchRemove removes existing keys and reports missing ones', async () => {
    const s = uniqueSet('br')
    const ks = [new Key(NS, s, 'a'), new Key(NS, s, 'b')]
    await client.put(ks[0], { a: 1 })
    const res = (await client.batchRemove(ks)) as aerospike.BatchResult[]
    expect(res.map((r) => r.status)).toEqual([0, status.ERR_RECORD_NOT_FOUND])
    expect(await client.exists(ks[0])).toBe(false)
  })

  it('batchRemove fails with BATCH_FAILED when a record fails other than by not existing, as the official client', async () => {
    const s = uniqueSet('brg')
    const ks = [new Key(NS, s, 'a'), new Key(NS, s, 'b')]
    await client.put(ks[0], { a: 1 })
    const err = await client.batchRemove(ks, null, new aerospike.BatchRemovePolicy({ gen: aerospike.policy.gen.EQ, generation: 10 })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(aerospike.AerospikeError)
    expect(err).toMatchObject({ code: status.BATCH_FAILED, message: 'One or more batch sub-commands failed' })
    expect(await client.exists(ks[0])).toBe(true)
    const res = (await client.batchRemove(ks, null, new aerospike.BatchRemovePolicy({ gen: aerospike.policy.gen.EQ, generation: 1 }))) as aerospike.BatchResult[]
    expect(res.map((r) => r.status)).toEqual([0, status.ERR_RECORD_NOT_FOUND])
  })

  it('readTouchTtlPercent of the batch policy and of a row\'s BatchReadPolicy reset the TTL on read', async () => {
    const s = uniqueSet('rtt')
    const ks = [0, 1, 2].map((i) => new Key(NS, s, i))
    for (const k of ks) await client.put(k, { a: 1 }, { ttl: 1000 })
    await new Promise((r) => setTimeout(r, 2100))
    await client.batchRead([{ key: ks[0], readAllBins: true, policy: new aerospike.BatchReadPolicy({ readTouchTtlPercent: 100 }) }, { key: ks[1], readAllBins: true }])
    await client.batchRead([{ key: ks[2], readAllBins: true }], new aerospike.BatchPolicy({ readTouchTtlPercent: 100 }))
    const ttls = await Promise.all(ks.map(async (k) => ((await client.get(k)) as aerospike.AerospikeRecord).ttl))
    expect(ttls[0]).toBeGreaterThanOrEqual(999)
    expect(ttls[1]).toBeLessThanOrEqual(998)
    expect(ttls[2]).toBeGreaterThanOrEqual(999)
    await expect(client.batchRead([{ key: ks[0], readAllBins: true, policy: { readTouchTtlPercent: 101 } as never }])).rejects.toThrow(TypeError)
  })

  it('a 10,000-key batch works', async () => {
    const s = uniqueSet('big')
    const many = Array.from({ length: 10_000 }, (_, i) => new Key(NS, s, i))
    for (let i = 0; i < many.length; i += 500) {
      await client.batchWrite(many.slice(i, i + 500).map((key, j) => ({ type: batchType.BATCH_WRITE, key, ops: [op.write('v', i + j)] })))
    }
    const res = (await client.batchGet(many)) as aerospike.BatchResult[]
    expect(res.length).toBe(10_000)
    expect(res.every((r, i) => r.status === 0 && r.record.bins.v === i)).toBe(true)
  })

  it('rejects bad batch input with TypeError', async () => {
    await expect(client.batchGet('x' as never)).rejects.toThrow(TypeError)
    await expect(client.batchRead([{ key: 'nope' } as never])).rejects.toThrow(TypeError)
    await expect(client.batchSelect(keys, 'a' as never)).rejects.toThrow(TypeError)
  })
})

describe('columnar batch reads', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })
  const set = uniqueSet('col')
  const keys = Array.from({ length: 50 }, (_, i) => new Key(NS, set, i))
  beforeAll(async () => {
    for (let i = 0; i < 50; i++) {
      if (i % 5 === 4) continue // every fifth record is missing
      const bins: aerospike.Bins = { f: i * 1.5, n: BigInt(i) * 1_000_000_000_000n, small: i - 25, flag: i % 2 === 0 }
      if (i % 7 === 3) delete bins.f // some records lack a bin
      if (i === 10) bins.small = 'not a number' // a value of another type
      if (i === 12) bins.small = 2 ** 40 // an integer outside the i32 range
      await client.put(keys[i], bins)
    }
  })

  it('equals the object-mode results for the same keys', async () => {
    const cols = await client.batchReadColumns(keys, { f: 'f64', n: 'i64', small: 'i32', flag: 'bool' })
    const objs = (await client.batchGet(keys)) as aerospike.BatchResult[]
    expect(cols.length).toBe(50)
    expect(cols.columns.f).toBeInstanceOf(Float64Array)
    expect(cols.columns.n).toBeInstanceOf(BigInt64Array)
    expect(cols.columns.small).toBeInstanceOf(Int32Array)
    expect(cols.columns.flag).toBeInstanceOf(Uint8Array)
    for (let i = 0; i < 50; i++) {
      const o = objs[i]
      expect(cols.status[i]).toBe(o.status)
      if (o.status !== 0) {
        expect(cols.valid.f[i]).toBe(0)
        expect(Number.isNaN(cols.columns.f[i])).toBe(true)
        expect(cols.gen[i]).toBe(0)
        continue
      }
      expect(cols.gen[i]).toBe(o.record.gen)
      expect(cols.ttl[i]).toBe(o.record.ttl)
      const b = o.record.bins
      if (b.f === undefined) {
        expect(cols.valid.f[i]).toBe(0)
        expect(Number.isNaN(cols.columns.f[i])).toBe(true)
      } else {
        expect(cols.valid.f[i]).toBe(1)
        expect(cols.columns.f[i]).toBe(b.f)
      }
      expect(cols.columns.n[i]).toBe(BigInt(b.n as number | bigint))
      const smallOk = typeof b.small === 'number' && Math.abs(b.small) < 2 ** 31
      expect(cols.valid.small[i]).toBe(smallOk ? 1 : 0)
      expect(cols.columns.small[i]).toBe(smallOk ? b.small : 0)
      expect(cols.columns.flag[i]).toBe(b.flag ? 1 : 0)
    }
    expect(cols.mismatched.small).toBe(2)
    expect(cols.mismatched.f).toBe(0)
  })

  it('a stored zero is valid, a missing value is not', async () => {
    const s = uniqueSet('zero')
    const ks = [new Key(NS, s, 'zero'), new Key(NS, s, 'missing')]
    await client.put(ks[0], { x: 0 })
    const c = await client.batchReadColumns(ks, { x: 'i64' })
    expect(Array.from(c.columns.x)).toEqual([0n, 0n])
    expect(Array.from(c.valid.x)).toEqual([1, 0])
    expect(Array.from(c.status)).toEqual([0, 2])
  })

  it('empty, 10,000-key and mixed-namespace columnar batches', async () => {
    const empty = await client.batchReadColumns([], { f: 'f64' })
    expect(empty.length).toBe(0)
    expect(empty.columns.f).toEqual(new Float64Array(0))
    // 10,000 keys, columns equal to the object reads of the same keys.
    const s = uniqueSet('colbig')
    const many = Array.from({ length: 10_000 }, (_, i) => new Key(NS, s, i))
    for (let i = 0; i < many.length; i += 1000) {
      await client.batchWrite(many.slice(i, i + 1000).filter((_, j) => (i + j) % 10 !== 9).map((key) => ({ type: batchType.BATCH_WRITE, key, ops: [op.write('v', Number(key.key) * 0.5)] })))
    }
    const cols = await client.batchReadColumns(many, { v: 'f64' })
    const objs = (await client.batchGet(many)) as aerospike.BatchResult[]
    expect(Array.from(cols.status)).toEqual(objs.map((r) => r.status))
    expect(Array.from(cols.columns.v)).toEqual(objs.map((r) => r.record.bins?.v ?? NaN))
    expect(cols.status.filter((x) => x === 0).length).toBe(9000)
    // Keys of two namespaces in one call, as the batch protocol allows.
    const mixed = [new Key(NS, s, 1), new Key('bar', s, 1), new Key(NS, s, 2)]
    await client.put(mixed[1], { v: 42.5 })
    const m = await client.batchReadColumns(mixed, { v: 'f64' })
    expect(Array.from(m.columns.v)).toEqual([0.5, 42.5, 1])
    const mo = (await client.batchGet(mixed)) as aerospike.BatchResult[]
    expect(mo.map((r) => r.record.bins?.v)).toEqual([0.5, 42.5, 1])
  })

  it('a gigantic batch is refused up front with ERR_PARAM, in every batch call', async () => {
    const huge = new Array(aerospike.MAX_BATCH_ROWS + 1).fill(keys[0])
    const calls = [
      () => client.batchReadColumns(huge, { f: 'f64' }),
      () => client.batchGet(huge),
      () => client.batchExists(huge),
      () => client.batchSelect(huge, ['f']),
      () => client.batchRemove(huge),
      () => client.batchRead(huge.map((key) => ({ key, readAllBins: true }))),
    ]
    for (const call of calls) {
      const t0 = performance.now()
      const e = await call().then(
        () => null,
        (err) => err,
      )
      expect(e).toBeInstanceOf(aerospike.AerospikeError)
      expect(e.code).toBe(status.ERR_PARAM)
      expect(e.message).toMatch(/limit/)
      expect(performance.now() - t0).toBeLessThan(2000)
    }
    expect(await client.exists(keys[0])).toBe(true)
  })

  it('rejects a bad column spec', async () => {
    await expect(client.batchReadColumns(keys, { f: 'f32' } as never)).rejects.toThrow(/f64/)
    await expect(client.batchReadColumns(keys, {})).rejects.toThrow(TypeError)
    await expect(client.batchReadColumns('x' as never, { f: 'f64' })).rejects.toThrow(TypeError)
  })

  it('JavaScript heap growth per call does not grow with the number of records', () => {
    // Measured in a child process with --expose-gc so a collection runs before each reading:
    // the numbers are the heap each call's (retained) result adds, not GC noise. Object mode
    // is measured too, as the control that shows the measurement can tell the difference.
    const script = `
      const a = require(${JSON.stringify(path.resolve(__dirname, '..', 'index.js'))});
      (async () => {
        const c = await a.connect({ hosts: ${JSON.stringify(hosts)} });
        const keys = Array.from({ length: 4000 }, (_, i) => new a.Key('test', ${JSON.stringify(uniqueSet('heap'))}, i));
        for (let i = 0; i < keys.length; i += 1000)
          await c.batchWrite(keys.slice(i, i + 1000).map((key, j) => ({ type: 1, key, ops: [a.operations.write('v', i + j + 0.5)] })));
        const small = keys.slice(0, 100);
        const perCall = async (f, ks) => {
          await f(ks);
          const kept = [];
          global.gc(); const before = process.memoryUsage().heapUsed;
          for (let i = 0; i < 10; i++) kept.push(await f(ks));
          global.gc(); const after = process.memoryUsage().heapUsed;
          return (after - before) / 10;
        };
        const cols = (ks) => c.batchReadColumns(ks, { v: 'f64' });
        const objs = (ks) => c.batchGet(ks);
        const out = { colSmall: await perCall(cols, small), colBig: await perCall(cols, keys), objSmall: await perCall(objs, small), objBig: await perCall(objs, keys) };
        await c.close();
        console.log(JSON.stringify(out));
      })();`
    const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 60000 })
    expect(r.status, r.stderr).toBe(0)
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!)
    // Object mode: 40x the records costs far more heap per call.
    expect(m.objBig).toBeGreaterThan(m.objSmall * 10)
    // Columnar: the typed arrays live outside the JS heap; per-call heap stays flat.
    expect(m.colBig).toBeLessThan(Math.max(m.colSmall * 2, 16 * 1024))
    expect(m.colBig).toBeLessThan(m.objBig / 10)
  })

})
