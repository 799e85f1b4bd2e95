// Bitwise and HyperLogLog operations through operate(). Bitwise expectations come from a bit-level
// JavaScript model of each operation; HLL expectations from the set semantics (small sets, whose
// estimates are exact at these register counts).
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { aerospike, expectCode, recordFixture } from './helpers'

const { bitwise, hll, maps, operations: op, status } = aerospike

const fx = recordFixture('bits')
const { record, operate, bins, opsEach } = fx

// --- bit model: buffers as arrays of bits, most significant bit of byte 0 first ---
const toBits = (b: Buffer) => [...b].flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >> (7 - i)) & 1))
function fromBits(bits: number[]): Buffer {
  const out = Buffer.alloc(Math.ceil(bits.length / 8))
  bits.forEach((bit, i) => {
    if (bit) out[i >> 3] |= 0x80 >> (i & 7)
  })
  return out
}
const bitsOfInt = (v: bigint, size: number) => Array.from({ length: size }, (_, i) => Number((BigInt.asUintN(size, v) >> BigInt(size - 1 - i)) & 1n))
const intOfBits = (bits: number[], signed: boolean) => {
  const u = bits.reduce((acc, b) => (acc << 1n) | BigInt(b), 0n)
  return signed ? BigInt.asIntN(bits.length, u) : u
}
/** Replaces `size` bits at `off` with `f(current bits)`. */
function modify(b: Buffer, off: number, size: number, f: (bits: number[]) => number[]): Buffer {
  const bits = toBits(b)
  bits.splice(off, size, ...f(bits.slice(off, off + size)))
  return fromBits(bits)
}
const num = (v: bigint) => (v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v)

/**
 * rscan as the server answers it: the backward scan also looks at the bits before the offset in
 * the offset's byte (a negative answer), see crates/cdt/src/bit.rs.
 */
function rscanModel(bits: number[], off: number, size: number, want: number): number {
  for (let p = off + size - 1; p >= Math.floor(off / 8) * 8; p--) if (bits[p] === want) return p - off
  return -1
}

const B = Buffer.from([0b10110010, 0b01011100, 0b11110000, 0b00001111])

describe('bitwise', () => {
  it('module has the official client’s functions and constants, plus setInt and count', () => {
    const official = createRequire(import.meta.url)('aerospike')
    for (const name of Object.keys(official.bitwise)) expect(typeof (bitwise as Record<string, unknown>)[name], name).not.toBe('undefined')
    for (const c of ['writeFlags', 'resizeFlags', 'overflow'] as const) expect(bitwise[c], c).toEqual(official.bitwise[c])
    expect(official.hll.writeFlags).toEqual(hll.writeFlags)
    for (const name of Object.keys(official.hll)) expect(typeof (hll as Record<string, unknown>)[name], name).not.toBe('undefined')
    expect([typeof bitwise.setInt, typeof bitwise.count]).toEqual(['function', 'function'])
  })

  it('read operations: get, count, lscan, rscan, getInt', async () => {
    const k = await record({ b: B })
    const bits = toBits(B)
    const ranges: Array<[number, number]> = [[0, 8], [3, 13], [12, 20], [31, 1]]
    for (const [off, size] of ranges) {
      const part = bits.slice(off, off + size)
      const res = await opsEach(k, 'b', [
        bitwise.get('b', off, size),
        bitwise.count('b', off, size),
        bitwise.lscan('b', off, size, true),
        bitwise.rscan('b', off, size, false),
        bitwise.getInt('b', off, size),
        bitwise.getInt('b', off, size, true),
      ])
      expect(res, `${off}/${size}`).toEqual([
        fromBits(part),
        part.filter((x) => x).length,
        part.indexOf(1),
        rscanModel(bits, off, size, 0),
        num(intOfBits(part, false)),
        num(intOfBits(part, true)),
      ])
    }
  })

  it('write operations change the bytes as the bit model says and report null', async () => {
    const V = Buffer.from([0b11001010, 0b10101010])
    const cases: Array<[string, aerospike.Operation, (b: Buffer) => Buffer]> = [
      ['set', bitwise.set('b', 5, 11, V), (b) => modify(b, 5, 11, () => toBits(V).slice(0, 11))],
      ['set with an integer', bitwise.set('b', 4, 8, 0xa5), (b) => modify(b, 4, 8, () => bitsOfInt(0xa5n, 8))],
      ['setInt', bitwise.setInt('b', 9, 13, -5), (b) => modify(b, 9, 13, () => bitsOfInt(-5n, 13))],
      ['or', bitwise.or('b', 2, 10, V), (b) => modify(b, 2, 10, (x) => x.map((bit, i) => bit | toBits(V)[i]))],
      ['xor', bitwise.xor('b', 7, 9, V), (b) => modify(b, 7, 9, (x) => x.map((bit, i) => bit ^ toBits(V)[i]))],
      ['and', bitwise.and('b', 0, 16, V), (b) => modify(b, 0, 16, (x) => x.map((bit, i) => bit & toBits(V)[i]))],
      ['not', bitwise.not('b', 3, 20), (b) => modify(b, 3, 20, (x) => x.map((bit) => 1 - bit))],
      ['lshift', bitwise.lshift('b', 4, 12, 3), (b) => modify(b, 4, 12, (x) => [...x.slice(3), 0, 0, 0])],
      ['rshift', bitwise.rshift('b', 8, 16, 5), (b) => modify(b, 8, 16, (x) => [0, 0, 0, 0, 0, ...x.slice(0, -5)])],
      ['add', bitwise.add('b', 8, 8, 17), (b) => modify(b, 8, 8, (x) => bitsOfInt(intOfBits(x, false) + 17n, 8))],
      ['subtract signed', bitwise.subtract('b', 16, 16, 300, true), (b) => modify(b, 16, 16, (x) => bitsOfInt(intOfBits(x, true) - 300n, 16))],
      ['insert', bitwise.insert('b', 1, V), (b) => Buffer.concat([b.subarray(0, 1), V, b.subarray(1)])],
      ['remove', bitwise.remove('b', 1, 2), (b) => Buffer.concat([b.subarray(0, 1), b.subarray(3)])],
      ['resize grow', bitwise.resize('b', 6), (b) => Buffer.concat([b, Buffer.alloc(2)])],
      ['resize shrink', bitwise.resize('b', 2), (b) => b.subarray(0, 2)],
      ['resize from front', bitwise.resize('b', 5, bitwise.resizeFlags.FROM_FRONT), (b) => Buffer.concat([Buffer.alloc(1), b])],
      ['resize shrink from front', bitwise.resize('b', 1, bitwise.resizeFlags.FROM_FRONT), (b) => b.subarray(3)],
    ]
    for (const [name, operation, model] of cases) {
      const k = await record({ b: B })
      expect(await operate(k, [operation]), name).toEqual({ b: null })
      expect((await bins(k)).b, name).toEqual(model(B))
    }
  })

  it('overflow: FAIL (26), SATURATE, WRAP; signed underflow', async () => {
    const k = await record({ b: Buffer.from([0xff, 0x80]) })
    await expectCode(fx.client.operate(k, [bitwise.add('b', 0, 8, 1)]), status.ERR_OP_NOT_APPLICABLE)
    await operate(k, [bitwise.add('b', 0, 8, 1, false).onOverflow(bitwise.overflow.SATURATE)])
    expect((await bins(k)).b).toEqual(Buffer.from([0xff, 0x80]))
    await operate(k, [bitwise.add('b', 0, 8, 1, false).onOverflow(bitwise.overflow.WRAP)])
    expect((await bins(k)).b).toEqual(Buffer.from([0x00, 0x80]))
    await expectCode(fx.client.operate(k, [bitwise.subtract('b', 8, 8, 1, true)]), status.ERR_OP_NOT_APPLICABLE) // -128 - 1
    await operate(k, [bitwise.subtract('b', 8, 8, 1, true).onOverflow(bitwise.overflow.SATURATE)])
    expect((await bins(k)).b).toEqual(Buffer.from([0x00, 0x80]))
  })

  it('policies: CREATE_ONLY (6), UPDATE_ONLY (17), NO_FAIL; resize flags GROW_ONLY / SHRINK_ONLY (4)', async () => {
    const k = await record({ b: Buffer.from([1, 2, 3]), x: 1 })
    await expectCode(fx.client.operate(k, [bitwise.resize('b', 4).withPolicy({ writeFlags: bitwise.writeFlags.CREATE_ONLY })]), status.ERR_BIN_EXISTS)
    await expectCode(fx.client.operate(k, [bitwise.resize('nob', 4).withPolicy(new aerospike.BitwisePolicy({ writeFlags: bitwise.writeFlags.UPDATE_ONLY }))]), status.ERR_BIN_NOT_FOUND)
    await operate(k, [bitwise.resize('b', 4).withPolicy({ writeFlags: bitwise.writeFlags.CREATE_ONLY | bitwise.writeFlags.NO_FAIL })])
    expect((await bins(k)).b).toEqual(Buffer.from([1, 2, 3]))
    await operate(k, [bitwise.resize('new', 2)])
    expect((await bins(k)).new).toEqual(Buffer.alloc(2))
    await expectCode(fx.client.operate(k, [bitwise.resize('b', 1, bitwise.resizeFlags.GROW_ONLY)]), status.ERR_REQUEST_INVALID)
    await expectCode(fx.client.operate(k, [bitwise.resize('b', 9, bitwise.resizeFlags.SHRINK_ONLY)]), status.ERR_REQUEST_INVALID)
  })

  it('bad input: TypeErrors for operands, flags and sizes; server errors 4, 12, 26', async () => {
    expect(() => bitwise.set('b', 0, 8, 3.14 as never)).toThrow(TypeError)
    const k = await record({ b: Buffer.from([1]), i: 5 })
    const bad: Array<[string, () => aerospike.Operation]> = [
      ['value not a Buffer', () => bitwise.or('b', 0, 8, [1] as never)],
      ['insert a string', () => bitwise.insert('b', 0, 'x' as never)],
      ['non-integer offset', () => bitwise.get('b', 0.5, 8)],
      ['bigint offset beyond 64 bits', () => bitwise.get('b', 2n ** 64n as never, 8)],
      ['scan value not boolean', () => bitwise.lscan('b', 0, 8, 1 as never)],
      ['sign not boolean', () => bitwise.getInt('b', 0, 8, 'yes' as never)],
      ['unknown resize flags', () => bitwise.resize('b', 2, 8)],
      ['unknown write flags', () => bitwise.resize('b', 2).withPolicy({ writeFlags: 16 })],
      ['unknown overflow action', () => bitwise.add('b', 0, 8, 1).onOverflow(1)],
      ['add a float', () => bitwise.add('b', 0, 8, 1.5)],
    ]
    for (const [name, build] of bad) await expect(fx.client.operate(k, [build()]), name).rejects.toThrow(TypeError)
    await expectCode(fx.client.operate(k, [bitwise.get('b', 0, 16)]), status.ERR_OP_NOT_APPLICABLE) // beyond the bytes
    await expectCode(fx.client.operate(k, [bitwise.get('i', 0, 8)]), status.ERR_BIN_INCOMPATIBLE_TYPE)
    await expectCode(fx.client.operate(k, [bitwise.resize('b', -1)]), status.ERR_REQUEST_INVALID)
    await expectCode(fx.client.operate(k, [bitwise.getInt('b', 0, 65)]), status.ERR_REQUEST_INVALID)
  })
})

// Bins are named `hll` below; of several ops on one bin an operate() answer keeps the last op's
// result, so each op's result is checked with `opsEach` (one op per call).
describe('hll', () => {
  const A = ['jaguar', 'leopard', 'lion', 'tiger']
  const Bset = ['tiger', 'lynx', 'cheetah', 'lion', 'puma']
  const union = new Set([...A, ...Bset]).size
  const inter = A.filter((x) => Bset.includes(x)).length

  /** An HLL value (a Buffer) holding `items`, read back from the server. */
  async function hllOf(items: unknown[], indexBits = 10, minhashBits = 0): Promise<Buffer> {
    const k = await record({ x: 1 })
    await operate(k, [hll.init('hll', indexBits, minhashBits), hll.add('hll', items)])
    const v = (await bins(k)).hll
    expect(Buffer.isBuffer(v)).toBe(true)
    return v as Buffer
  }

  it('init, add, getCount, refreshCount, describe', async () => {
    const k = await record({ x: 1 })
    const res = await opsEach(k, 'hll', [hll.init('hll', 12, 6), hll.add('hll', [...A, ...A, 7, 2n ** 60n, Buffer.from([1])]), hll.getCount('hll'), hll.refreshCount('hll'), hll.describe('hll')])
    const distinct = A.length + 3
    expect(res).toEqual([null, distinct, distinct, distinct, [12, 6]])
    const k2 = await record({ x: 1 })
    expect(await opsEach(k2, 'hll', [hll.add('hll', A, 8), hll.describe('hll')])).toEqual([A.length, [8, 0]])
    expect((await operate(k2, [hll.add('hll', A)])).hll).toBe(0) // nothing new
  })

  it('set operations with HLL values: union, union count, intersect count, similarity, setUnion, fold', async () => {
    const hb = await hllOf(Bset)
    const k = await record({ x: 1 })
    const res = await opsEach(k, 'hll', [hll.init('hll', 10), hll.add('hll', A), hll.getUnionCount('hll', [hb]), hll.getIntersectCount('hll', [hb]), hll.getSimilarity('hll', [hb]), hll.getUnion('hll', [hb])])
    const [, added, uc, ic, sim, u] = res as [null, number, number, number, number, Buffer]
    expect([added, uc, ic]).toEqual([A.length, union, inter])
    expect(sim).toBeCloseTo(inter / union, 1)
    expect(Buffer.isBuffer(u)).toBe(true)
    const k2 = await record({ x: 1 })
    expect(await opsEach(k2, 'hll', [hll.init('hll', 10), hll.setUnion('hll', [u]), hll.getCount('hll')])).toEqual([null, null, union])
    expect(await opsEach(k2, 'hll', [hll.fold('hll', 6), hll.describe('hll'), hll.getCount('hll')])).toEqual([null, [6, 0], union])
  })

  it('policies: CREATE_ONLY (6), UPDATE_ONLY (17), NO_FAIL, ALLOW_FOLD', async () => {
    const k = await record({ x: 1 })
    await operate(k, [hll.init('hll', 8)])
    await expectCode(fx.client.operate(k, [hll.init('hll', 8).withPolicy({ writeFlags: hll.writeFlags.CREATE_ONLY })]), status.ERR_BIN_EXISTS)
    await expectCode(fx.client.operate(k, [hll.init('none', 8).withPolicy(new aerospike.HLLPolicy({ writeFlags: hll.writeFlags.UPDATE_ONLY }))]), status.ERR_BIN_NOT_FOUND)
    await expectCode(fx.client.operate(k, [hll.add('none', A, 8).withPolicy({ writeFlags: hll.writeFlags.UPDATE_ONLY })]), status.ERR_REQUEST_INVALID) // add takes no UPDATE_ONLY
    await expectCode(fx.client.operate(k, [hll.add('none', A)]), status.ERR_OP_NOT_APPLICABLE) // no bit counts to create it with
    expect(await opsEach(k, 'hll', [hll.init('hll', 12).withPolicy({ writeFlags: hll.writeFlags.CREATE_ONLY | hll.writeFlags.NO_FAIL }), hll.describe('hll')])).toEqual([null, [8, 0]])
    // A union with fewer index bits than the bin needs ALLOW_FOLD (the bin folds down).
    const h6 = await hllOf(Bset, 6)
    await operate(k, [hll.init('big', 12), hll.add('big', A)])
    await expectCode(fx.client.operate(k, [hll.setUnion('big', [h6])]), status.ERR_OP_NOT_APPLICABLE)
    const folded = await opsEach(k, 'big', [hll.setUnion('big', [h6]).withPolicy({ writeFlags: hll.writeFlags.ALLOW_FOLD }), hll.describe('big'), hll.getCount('big')])
    expect(folded).toEqual([null, [6, 0], union])
  })

  it('HLL ops report with other ops like map ops do; a bin holds its last op’s result', async () => {
    const k = await record({ x: 1, map: { a: 1 } })
    expect(await operate(k, [op.write('y', 2), hll.add('hll', A, 8), maps.size('map')])).toEqual({ y: null, hll: A.length, map: 1 })
    expect(await operate(k, [hll.add('hll', Bset), hll.describe('hll'), op.write('y', 3), maps.size('map')])).toEqual({ y: null, hll: [8, 0], map: 1 })
    expect((await operate(k, [hll.getCount('hll')])).hll).toBe(union)
  })

  it('bad input: TypeErrors, and server errors 4 (bit counts) and 12 (not an HLL)', async () => {
    const k = await record({ s: 'str', x: 1 })
    const bad: Array<[string, () => aerospike.Operation]> = [
      ['list not an array', () => hll.add('hll', 'abc' as never)],
      ['unstorable item', () => hll.add('hll', [() => 1])],
      ['union with non-Buffer', () => hll.getUnion('hll', ['x' as never])],
      ['union list not an array', () => hll.setUnion('hll', Buffer.alloc(4) as never)],
      ['non-integer index bits', () => hll.init('hll', 8.5)],
      ['missing index bits', () => hll.fold('hll', undefined as never)],
      ['unknown write flags', () => hll.init('hll', 8).withPolicy({ writeFlags: 64 })],
      ['policy not an object', () => hll.init('hll', 8).withPolicy(3 as never)],
    ]
    for (const [name, build] of bad) await expect(fx.client.operate(k, [build()]), name).rejects.toThrow(TypeError)
    await expectCode(fx.client.operate(k, [hll.init('hll', 3)]), status.ERR_REQUEST_INVALID)
    await expectCode(fx.client.operate(k, [hll.init('hll', 17)]), status.ERR_REQUEST_INVALID)
    await expectCode(fx.client.operate(k, [hll.init('hll', 10, 52)]), status.ERR_REQUEST_INVALID)
    await expectCode(fx.client.operate(k, [hll.getCount('s')]), status.ERR_BIN_INCOMPATIBLE_TYPE)
  })
})
