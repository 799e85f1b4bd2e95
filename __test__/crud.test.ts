import { describe, expect, it } from 'vitest'
import { aerospike, communityServer, connectedClient, expectCode, NS, uniqueSet } from './helpers'

const { Key, status, policy, ttl, operations: op } = aerospike
const community = await communityServer()

describe('single-record commands', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })
  const key = (k: aerospike.UserKey = 'k') => new Key(NS, uniqueSet(), k)

  it('put then get returns bins, generation and ttl', async () => {
    const k = key()
    expect(await client.put(k, { a: 1, s: 'x' })).toBe(k)
    const rec = (await client.get(k)) as aerospike.AerospikeRecord
    expect(rec.bins).toEqual({ a: 1, s: 'x' })
    expect(rec.gen).toBe(1)
    expect(rec.ttl).toBe(-1)
    expect(rec.key).toBe(k)
    await client.put(k, { a: 2 })
    const again = (await client.get(k)) as aerospike.AerospikeRecord
    expect(again.bins).toEqual({ a: 2, s: 'x' })
    expect(again.gen).toBe(2)
  })

  it('get of a missing record rejects with ERR_RECORD_NOT_FOUND (2)', async () => {
    const e = await expectCode(client.get(key()), status.ERR_RECORD_NOT_FOUND)
    expect(e.isServerError()).toBe(true)
    expect(e.inDoubt).toBe(false)
  })

  it('select returns only the named bins', async () => {
    const k = key()
    await client.put(k, { a: 1, b: 2, c: 3 })
    expect(((await client.select(k, ['a', 'c'])) as aerospike.AerospikeRecord).bins).toEqual({ a: 1, c: 3 })
    expect(((await client.select(k, ['missing'])) as aerospike.AerospikeRecord).bins).toEqual({})
  })

  it('exists and existsWithMetadata', async () => {
    const k = key()
    expect(await client.exists(k)).toBe(false)
    const none = (await client.existsWithMetadata(k)) as aerospike.AerospikeRecord<null>
    expect([none.bins, none.ttl, none.gen]).toEqual([null, null, null])
    await client.put(k, { a: 1 }, { ttl: 100 })
    expect(await client.exists(k)).toBe(true)
    const meta = (await client.existsWithMetadata(k)) as aerospike.AerospikeRecord<null>
    expect(meta.bins).toBeNull()
    expect(meta.gen).toBe(1)
    expect(meta.ttl).toBeGreaterThan(95)
    expect(meta.ttl).toBeLessThanOrEqual(100)
  })

  it('remove deletes and rejects with 2 when the record is gone', async () => {
    const k = key()
    await client.put(k, { a: 1 })
    expect(await client.remove(k)).toBe(k)
    expect(await client.exists(k)).toBe(false)
    await expectCode(client.remove(k), status.ERR_RECORD_NOT_FOUND)
    await client.put(k, { a: 1 })
    if (community) {
      // Durable deletes are an Enterprise feature: ENTERPRISE_ONLY (25), the record kept.
      await expectCode(client.remove(k, { durableDelete: true }), status.ERR_ENTERPRISE_ONLY)
      expect(await client.exists(k)).toBe(true)
      return
    }
    await client.remove(k, { durableDelete: true })
    expect(await client.exists(k)).toBe(false)
  })

  it('ttl metadata: explicit seconds, never expire, namespace default, don\'t update', async () => {
    const k = key()
    await client.put(k, { a: 1 }, { ttl: 1000 })
    let rec = (await client.get(k)) as aerospike.AerospikeRecord
    expect(rec.ttl).toBeGreaterThan(990)
    await client.put(k, { a: 2 }, { ttl: ttl.DONT_UPDATE })
    rec = (await client.get(k)) as aerospike.AerospikeRecord
    expect(rec.ttl).toBeGreaterThan(990)
    expect(rec.ttl).toBeLessThanOrEqual(1000)
    await client.put(k, { a: 3 }, { ttl: ttl.NEVER_EXPIRE })
    expect(((await client.get(k)) as aerospike.AerospikeRecord).ttl).toBe(-1)
    await client.put(k, { a: 4 }, { ttl: 50 })
    await client.put(k, { a: 5 }, { ttl: ttl.NAMESPACE_DEFAULT })
    expect(((await client.get(k)) as aerospike.AerospikeRecord).ttl).toBe(-1)
    await client.put(k, { a: 6 }, { ttl: ttl.CLIENT_DEFAULT }, { ttl: 300 })
    const r6 = (await client.get(k)) as aerospike.AerospikeRecord
    expect(r6.ttl).toBeGreaterThan(290)
    expect(r6.ttl).toBeLessThanOrEqual(300)
  })

  it('exists policies: create-only (5), update-only (2), replace, replace-only (2)', async () => {
    const k = key()
    await client.put(k, { a: 1, b: 1 }, null, { exists: policy.exists.CREATE })
    await expectCode(client.put(k, { a: 2 }, null, { exists: policy.exists.CREATE }), status.ERR_RECORD_EXISTS)
    await expectCode(client.put(key(), { a: 2 }, null, { exists: policy.exists.UPDATE }), status.ERR_RECORD_NOT_FOUND)
    await client.put(k, { a: 3 }, null, { exists: policy.exists.UPDATE })
    expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ a: 3, b: 1 })
    await client.put(k, { c: 1 }, null, { exists: policy.exists.CREATE_OR_REPLACE })
    expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ c: 1 })
    await expectCode(client.put(key(), { a: 2 }, null, { exists: policy.exists.REPLACE }), status.ERR_RECORD_NOT_FOUND)
    await client.put(k, { d: 1 }, null, { exists: policy.exists.REPLACE })
    expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ d: 1 })
  })

  it('generation checks: EQ and GT (3 on conflict)', async () => {
    const k = key()
    await client.put(k, { a: 1 })
    await client.put(k, { a: 2 }) // gen 2
    await expectCode(client.put(k, { a: 3 }, { gen: 1 }, { gen: policy.gen.EQ }), status.ERR_RECORD_GENERATION)
    await client.put(k, { a: 3 }, { gen: 2 }, { gen: policy.gen.EQ })
    await expectCode(client.put(k, { a: 4 }, { gen: 3 }, { gen: policy.gen.GT }), status.ERR_RECORD_GENERATION)
    await client.put(k, { a: 4 }, { gen: 10 }, { gen: policy.gen.GT })
    expect(((await client.get(k)) as aerospike.AerospikeRecord).gen).toBe(4)
  })

  it('touch bumps generation and resets ttl; touch of a missing record is 2', async () => {
    const k = key()
    await client.put(k, { a: 1 }, { ttl: 100 })
    expect(await client.touch(k, 5000)).toBe(k)
    const rec = (await client.get(k)) as aerospike.AerospikeRecord
    expect(rec.gen).toBe(2)
    expect(rec.ttl).toBeGreaterThan(4990)
    await expectCode(client.touch(key()), status.ERR_RECORD_NOT_FOUND)
  })

  it('append, prepend, add/incr', async () => {
    const k = key()
    await client.put(k, { s: 'b', n: 1, f: 1.5, buf: Buffer.from([2]) })
    await client.append(k, { s: 'c', buf: Buffer.from([3]) })
    await client.prepend(k, { s: 'a', buf: Buffer.from([1]) })
    await client.add(k, { n: 2, f: 0.25, fresh: 7 })
    await client.incr(k, { n: -10 })
    const rec = (await client.get(k)) as aerospike.AerospikeRecord
    expect(rec.bins).toEqual({ s: 'abc', n: -7, f: 1.75, buf: Buffer.from([1, 2, 3]), fresh: 7 })
    await expectCode(client.append(k, { n: 'x' }), status.ERR_BIN_INCOMPATIBLE_TYPE)
    await expectCode(client.add(k, { s: 1 }), status.ERR_BIN_INCOMPATIBLE_TYPE)
    await expect(client.add(k, { n: 'x' } as never)).rejects.toThrow(TypeError)
  })

  it('operate runs several operations atomically and returns read results', async () => {
    const k = key()
    await client.put(k, { a: 1, b: 'x' })
    const rec = (await client.operate(k, [op.incr('a', 5), op.read('a'), op.write('c', [1, 2]), op.append('b', 'y'), op.read('b')])) as aerospike.AerospikeRecord
    expect(rec.bins.a).toBe(6)
    expect(rec.bins.b).toBe('xy')
    expect(rec.gen).toBe(2)
    expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ a: 6, b: 'xy', c: [1, 2] })
    await client.operate(k, [op.delete()])
    expect(await client.exists(k)).toBe(false)
    await expect(client.operate(k, [])).rejects.toThrow(TypeError)
    await expect(client.operate(k, [{ op: 'bogus' } as never])).rejects.toThrow(TypeError)
  })

  it('writing null removes a bin; removing the last bin deletes the record', async () => {
    const k = key()
    await client.put(k, { a: 1, b: 2 })
    await client.put(k, { a: null })
    expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ b: 2 })
    await client.put(k, { b: null })
    expect(await client.exists(k)).toBe(false)
  })

  it('stores the user key when policy.key is SEND and rejects a different stored key (19)', async () => {
    const set = uniqueSet()
    const k = new Key(NS, set, 'sent')
    await client.put(k, { a: 1 }, null, { key: policy.key.SEND })
    const rec = (await client.get(k)) as aerospike.AerospikeRecord
    expect(rec.bins).toEqual({ a: 1 })
    // Same digest, different key value: the server refuses.
    const forged = new Key(NS, set, 'other', k.digest)
    await expectCode(client.put(forged, { a: 2 }, null, { key: policy.key.SEND }), status.ERR_RECORD_KEY_MISMATCH)
  })

  it('accepts a trailing callback like the official client', async () => {
    const k = key()
    await new Promise<void>((resolve, reject) =>
      client.put(k, { a: 1 }, (err) => (err ? reject(err) : resolve())),
    )
    const rec = await new Promise<aerospike.AerospikeRecord>((resolve, reject) =>
      client.get(k, (err, r) => (err ? reject(err) : resolve(r!))),
    )
    expect(rec.bins).toEqual({ a: 1 })
    const err = await new Promise<Error | null>((resolve) => client.get(key(), (e) => resolve(e ?? null)))
    expect(err).toBeInstanceOf(aerospike.AerospikeError)
    expect((err as aerospike.AerospikeError).code).toBe(2)
    // With a callback the returned promise never rejects: the callback got the error.
    await expect(client.get(key(), () => {})).resolves.toBeUndefined()
  })

  it('works with string, integer, bigint and Buffer keys', async () => {
    const set = uniqueSet()
    const keys = [new Key(NS, set, 'str'), new Key(NS, set, 7), new Key(NS, set, 2n ** 63n - 1n), new Key(NS, set, -(2n ** 63n)), new Key(NS, set, Buffer.from([1, 2]))]
    for (const [i, k] of keys.entries()) await client.put(k, { i })
    for (const [i, k] of keys.entries()) expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ i })
  })

  it('rejects a bin name longer than 15 bytes or an undefined bin before sending, as the official client (ERR_PARAM)', async () => {
    for (const bins of [{ ['x'.repeat(16)]: 1 }, { ok: 1, bad: undefined }]) {
      const k = key()
      const err = await client.put(k, bins).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(aerospike.AerospikeError)
      expect(err).toMatchObject({ code: status.ERR_PARAM, message: 'Record object invalid' })
      expect(await client.exists(k)).toBe(false)
    }
    await client.put(key(), { ['x'.repeat(15)]: 1 })
  })

  it('stores undefined inside lists and maps as nil, as the official client', async () => {
    const k = key()
    await client.put(k, { list: [1, undefined], map: { a: 1, c: undefined } })
    expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ list: [1, null], map: { a: 1, c: null } })
  })

  it('a failed single-record command hands its callback the key (writes) or a record with the key (reads)', async () => {
    const k = key()
    const got = await new Promise<unknown[]>((resolve) => client.get(k, (e, r) => resolve([e?.code, r?.key])))
    expect(got).toEqual([status.ERR_RECORD_NOT_FOUND, k])
    const removed = await new Promise<unknown[]>((resolve) => client.remove(k, (e, r) => resolve([e?.code, r])))
    expect(removed).toEqual([status.ERR_RECORD_NOT_FOUND, k])
    const put = await new Promise<unknown[]>((resolve) => client.put(k, { ['y'.repeat(16)]: 1 }, (e, r) => resolve([e?.code, r])))
    expect(put).toEqual([status.ERR_PARAM, k])
  })

  it('operations.add and client.add take a Double', async () => {
    const k = key()
    await client.put(k, { d: 1.5, e: 2.25 })
    await client.operate(k, [op.add('d', new aerospike.Double(2))])
    await client.add(k, { e: new aerospike.Double(1) })
    expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ d: 3.5, e: 3.25 })
  })

  it('deserialize: false gives list and map bins as the msgpack bytes the server keeps (maps key-ordered, as the official client writes them)', async () => {
    const k = key()
    await client.put(k, { i: 1, s: 'x', l: [1, 2, 3], m: { b: 2, a: 1 } })
    const rawList = Buffer.from([0x93, 1, 2, 3])
    const rawMap = Buffer.from([0x83, 0xc7, 0x00, 0x01, 0xc0, 0xa2, 0x03, 0x61, 0x01, 0xa2, 0x03, 0x62, 0x02])
    const expected = { i: 1, s: 'x', l: rawList, m: rawMap }
    expect(((await client.get(k, new aerospike.ReadPolicy({ deserialize: false }))) as aerospike.AerospikeRecord).bins).toEqual(expected)
    expect(((await client.operate(k, [op.read('l'), op.read('m')], null, { deserialize: false } as never)) as aerospike.AerospikeRecord).bins).toEqual({ l: rawList, m: rawMap })
    const rows = (await client.batchRead([{ key: k, readAllBins: true }], new aerospike.BatchPolicy({ deserialize: false }))) as aerospike.BatchResult[]
    expect(rows[0]!.record.bins).toEqual(expected)
    const viaWrite = (await client.batchWrite([{ type: aerospike.batchType.BATCH_READ, key: k, readAllBins: true }], new aerospike.BatchPolicy({ deserialize: false }))) as aerospike.BatchResult[]
    expect(viaWrite[0]!.record.bins).toEqual(expected)
    // Without it, the same bins decoded.
    expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ i: 1, s: 'x', l: [1, 2, 3], m: { a: 1, b: 2 } })
  })

  it('put takes a Bin', async () => {
    const k = key()
    await client.put(k, new aerospike.Bin('m', { b: 1, a: 2 }, aerospike.maps.order.KEY_ORDERED))
    expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ m: { a: 2, b: 1 } })
  })

  it('a record over the size limit is refused (13) and the old record stays intact', async () => {
    const k = key()
    await client.put(k, { a: 'small' })
    await expectCode(client.put(k, { a: Buffer.alloc(2 * 1024 * 1024) }), status.ERR_RECORD_TOO_BIG)
    expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ a: 'small' })
  })
})
