import { describe, expect, it } from 'vitest'
import { aerospike, connectedClient, NS, uniqueSet } from './helpers'

const { Key, Double, GeoJSON } = aerospike

describe('values', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })

  async function roundTrip(bins: aerospike.Bins) {
    const k = new Key(NS, uniqueSet(), 'v')
    await client.put(k, bins)
    return ((await client.get(k)) as aerospike.AerospikeRecord).bins
  }

  it('integers come back as numbers when safe and as bigint beyond 2^53', async () => {
    const ints = {
      zero: 0,
      neg: -1,
      maxSafe: Number.MAX_SAFE_INTEGER,
      minSafe: Number.MIN_SAFE_INTEGER,
      over: 2n ** 53n,
      under: -(2n ** 53n),
      max: 2n ** 63n - 1n,
      min: -(2n ** 63n),
      smallBig: 5n,
    }
    // Each comes back as written, but a bigint within the safe range, which comes back a number.
    expect(await roundTrip(ints)).toEqual({ ...ints, smallBig: 5 })
  })

  it('floats, Double for whole numbers, -0 and tiny values', async () => {
    const k = new Key(NS, uniqueSet(), 'd')
    await client.put(k, { f: 1.5, d: new Double(2), tiny: 5e-324 })
    // A Double stays a float on the server: adding an integer to it is a type error.
    await expect(client.add(k, { d: 1 })).rejects.toMatchObject({ code: aerospike.status.ERR_BIN_INCOMPATIBLE_TYPE })
    await client.add(k, { d: 0.5 })
    const bins = ((await client.get(k)) as aerospike.AerospikeRecord).bins
    expect(bins).toEqual({ f: 1.5, d: 2.5, tiny: 5e-324 })
  })

  it('strings (empty, unicode), buffers (empty, binary), booleans', async () => {
    const blob = Buffer.from([0, 255, 1, 254])
    const bins = await roundTrip({ e: '', u: 'héllo ✓ 🔑', b: blob, eb: Buffer.alloc(0), t: true, f: false, u8: new Uint8Array([9]) })
    expect(bins).toEqual({ e: '', u: 'héllo ✓ 🔑', b: blob, eb: Buffer.alloc(0), t: true, f: false, u8: Buffer.from([9]) })
  })

  it('nested lists and maps, plain objects and Map instances', async () => {
    const bins = await roundTrip({
      l: [1, 'a', [2, [3]], { k: 'v' }, null, true, 1.5, 2n ** 60n],
      m: { a: 1, nested: { list: [1, 2], deep: { x: 'y' } } },
      jsMap: new Map<aerospike.AerospikeValue, aerospike.AerospikeValue>([['k', 1], [2, 'int key']]),
      empty: [],
      emptyMap: {},
    })
    expect(bins.l).toEqual([1, 'a', [2, [3]], { k: 'v' }, null, true, 1.5, 2n ** 60n])
    expect(bins.m).toEqual({ a: 1, nested: { list: [1, 2], deep: { x: 'y' } } })
    expect(bins.jsMap).toEqual({ k: 1, '2': 'int key' })
    expect(bins.empty).toEqual([])
    expect(bins.emptyMap).toEqual({})
  })

  it('GeoJSON values are stored as GeoJSON and read back as their JSON text, as with the official client', async () => {
    const point = GeoJSON.Point(103.9, 1.3)
    const bins = await roundTrip({ loc: point, locs: [point, new GeoJSON.Circle(1, 2, 30)] })
    expect(typeof bins.loc).toBe('string')
    expect(JSON.parse(bins.loc as string)).toEqual({ type: 'Point', coordinates: [103.9, 1.3] })
    expect((bins.locs as string[]).map((s) => JSON.parse(s))).toEqual([{ type: 'Point', coordinates: [103.9, 1.3] }, { type: 'AeroCircle', coordinates: [[1, 2], 30] }])
    expect(() => new GeoJSON('{not json')).toThrow(SyntaxError)
  })

  it.each([
    ['NaN', NaN, /NaN/],
    ['Infinity', Infinity, /Infinity/],
    ['function', () => 1, /function/],
    ['symbol', Symbol('s'), /symbol/],
    ['Date', new Date(), /Date/],
    ['bigint too large', 2n ** 63n, /64-bit/],
    ['bigint too small', -(2n ** 63n) - 1n, /64-bit/],
    ['NaN inside a list', [1, NaN], /\[1\]/],
    ['class instance', new (class Foo {})(), /Foo/],
    ['Double(NaN)', new Double(NaN), /Double/],
  ])('rejects %s with a TypeError naming the bin', async (_name, value, msg) => {
    const k = new Key(NS, uniqueSet(), 'bad')
    const p = client.put(k, { badbin: value as never })
    await expect(p).rejects.toThrow(TypeError)
    await expect(client.put(k, { badbin: value as never })).rejects.toThrow(/badbin/)
    await expect(client.put(k, { badbin: value as never })).rejects.toThrow(msg)
    expect(await client.exists(k)).toBe(false)
  })

  it('Double(NaN) is refused alike by bins, list operations and expressions (the official Double cannot hold NaN); Double(±Infinity) is a double in each', async () => {
    const { exp, lists } = aerospike
    const k = new Key(NS, uniqueSet(), 'double-nan')
    const nan = new Double(NaN)
    await expect(client.put(k, { d: nan })).rejects.toThrow(/bin "d": Double\(NaN\) cannot be stored/)
    await expect(client.operate(k, [lists.append('l', nan)])).rejects.toThrow(/Double\(NaN\) cannot be stored/)
    expect(() => exp.list([nan])).toThrow(TypeError)
    expect(() => exp.list([nan])).toThrow(/Double\(NaN\) cannot be used in an expression/)
    expect(await client.exists(k)).toBe(false)
    const inf = new Double(Infinity)
    expect(await roundTrip({ d: inf, n: new Double(-Infinity), l: [inf] })).toEqual({ d: Infinity, n: -Infinity, l: [Infinity] })
    expect(() => exp.list([inf])).not.toThrow()
  })

  it('rejects cyclic and absurdly deep structures without crashing', async () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    const k = new Key(NS, uniqueSet(), 'cyc')
    await expect(client.put(k, { c: cyclic as never })).rejects.toThrow(/nested|cyclic/)
    let deep: unknown = 1
    for (let i = 0; i < 1000; i++) deep = [deep]
    await expect(client.put(k, { d: deep as never })).rejects.toThrow(TypeError)
    await client.put(k, { ok: 1 })
    expect(((await client.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ ok: 1 })
  })

  it('rejects bins that are not an object', async () => {
    const k = new Key(NS, uniqueSet(), 'x')
    for (const bad of [null, 1, 'str', [1], new Map()]) {
      await expect(client.put(k, bad as never)).rejects.toThrow(TypeError)
    }
    await expect(client.put(k, {})).rejects.toThrow(/empty/)
  })
})
