/**
 * The small msgpack encoder expressions are packed with, following Aerospike's conventions
 * (wire protocol reference §9) and the official C client's choices byte for byte: integers in
 * their smallest form (unsigned forms for non-negative values), floats as float64, strings and
 * blobs as msgpack str whose first byte is the particle type, maps key-sorted behind a
 * key-ordered marker, `ext` for the wildcard and infinity.
 * @module
 * @internal
 */
import { GrowableBuffer } from '../codec'
import { KIND, classify, describe, isI64, isU64, unsupported } from '../value'
import type { Double, GeoJSON } from '../values'

/** Particle types carried as the first byte of string-like values. */
export const PARTICLE = { STRING: 3, BLOB: 4, GEOJSON: 23 } as const

export { describe, isI64, isU64 }

/** A growable byte buffer with msgpack writers. */
export class Packer extends GrowableBuffer {
  constructor(size = 64) {
    super(size)
  }

  private byte(b: number): void {
    this.ensure(1)
    this.buf[this.pos++] = b
  }

  /** The packed bytes (a copy that owns its memory). */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos))
  }

  /** Appends already-packed bytes. */
  raw(b: Uint8Array): this {
    this.ensure(b.length)
    this.buf.set(b, this.pos)
    this.pos += b.length
    return this
  }

  arrayHeader(n: number): this {
    if (n < 16) this.byte(0x90 | n)
    else if (n < 0x10000) this.header16(0xdc, n)
    else this.header32(0xdd, n)
    return this
  }

  mapHeader(n: number): this {
    if (n < 16) this.byte(0x80 | n)
    else if (n < 0x10000) this.header16(0xde, n)
    else this.header32(0xdf, n)
    return this
  }

  private header16(code: number, n: number): void {
    this.ensure(3)
    this.buf[this.pos] = code
    this.buf.writeUInt16BE(n, this.pos + 1)
    this.pos += 3
  }

  private header32(code: number, n: number): void {
    this.ensure(5)
    this.buf[this.pos] = code
    this.buf.writeUInt32BE(n, this.pos + 1)
    this.pos += 5
  }

  nil(): this {
    this.byte(0xc0)
    return this
  }

  bool(v: boolean): this {
    this.byte(v ? 0xc3 : 0xc2)
    return this
  }

  /** An integer (a safe-integer number or a bigint within the signed or unsigned 64-bit range). */
  int(v: number | bigint): this {
    if (typeof v === 'number') {
      if (v >= 0) {
        if (v < 0x80) this.byte(v)
        else if (v < 0x100) this.fixed(0xcc, 1, v)
        else if (v < 0x10000) this.fixed(0xcd, 2, v)
        else if (v < 0x100000000) this.fixed(0xce, 4, v)
        else this.big(0xcf, BigInt(v))
      } else {
        if (v >= -32) this.byte(v & 0xff)
        else if (v >= -0x80) this.fixed(0xd0, 1, v)
        else if (v >= -0x8000) this.fixed(0xd1, 2, v)
        else if (v >= -0x80000000) this.fixed(0xd2, 4, v)
        else this.big(0xd3, BigInt(v))
      }
      return this
    }
    if (v >= -0x80000000n && v <= 0xffffffffn) return this.int(Number(v))
    this.big(v < 0n ? 0xd3 : 0xcf, v)
    return this
  }

  private fixed(code: number, size: 1 | 2 | 4, v: number): void {
    this.ensure(1 + size)
    this.buf[this.pos] = code
    if (code >= 0xd0) this.buf.writeIntBE(v, this.pos + 1, size)
    else this.buf.writeUIntBE(v, this.pos + 1, size)
    this.pos += 1 + size
  }

  private big(code: number, v: bigint): void {
    this.ensure(9)
    this.buf[this.pos] = code
    if (code === 0xcf) this.buf.writeBigUInt64BE(v, this.pos + 1)
    else this.buf.writeBigInt64BE(v, this.pos + 1)
    this.pos += 9
  }

  float(v: number): this {
    this.ensure(9)
    this.buf[this.pos] = 0xcb
    this.buf.writeDoubleBE(v, this.pos + 1)
    this.pos += 9
    return this
  }

  /** A msgpack str of raw bytes (with `particle`, that byte first). */
  private strBytes(data: Uint8Array, particle?: number): void {
    const n = data.length + (particle === undefined ? 0 : 1)
    if (n < 32) this.byte(0xa0 | n)
    else if (n < 0x100) {
      this.byte(0xd9)
      this.byte(n)
    } else if (n < 0x10000) this.header16(0xda, n)
    else this.header32(0xdb, n)
    if (particle !== undefined) this.byte(particle)
    this.raw(data)
  }

  /** A plain msgpack string: bin names, variable names, regex patterns. */
  rawStr(s: string): this {
    this.strBytes(Buffer.from(s, 'utf8'))
    return this
  }

  /** A string value (particle type 3 first). */
  str(s: string): this {
    this.strBytes(Buffer.from(s, 'utf8'), PARTICLE.STRING)
    return this
  }

  /** A blob value (particle type 4 first). */
  blob(b: Uint8Array): this {
    this.strBytes(b, PARTICLE.BLOB)
    return this
  }

  /** A GeoJSON value (particle type 23 first). */
  geo(json: string): this {
    this.strBytes(Buffer.from(json, 'utf8'), PARTICLE.GEOJSON)
    return this
  }

  /** An ext value with no content but its type byte (`fixext1`). */
  ext1(type: number, data: number): this {
    this.ensure(3)
    this.buf[this.pos] = 0xd4
    this.buf[this.pos + 1] = type
    this.buf[this.pos + 2] = data
    this.pos += 3
    return this
  }

  /**
   * Any storable value, as the official client packs it: maps key-sorted behind a key-ordered
   * marker (`c7 00 01`, nil). `where` names the value in errors.
   */
  value(v: unknown, where: string, depth = 0): this {
    switch (classify(v, where, depth, 'used in an expression')) {
      case KIND.NIL:
        return this.nil()
      case KIND.BOOL:
        return this.bool(v as boolean)
      case KIND.INT:
      case KIND.BIGINT:
        return this.int(v as number | bigint)
      case KIND.FLOAT:
        return this.float(v as number)
      case KIND.DOUBLE:
        return this.float((v as Double).Double)
      case KIND.STR:
        return this.str(v as string)
      case KIND.BYTES:
        return this.blob(v as Uint8Array)
      case KIND.GEOJSON:
        return this.geo((v as GeoJSON).str)
      case KIND.LIST: {
        const list = v as unknown[]
        this.arrayHeader(list.length)
        for (let i = 0; i < list.length; i++) this.value(list[i], `${where}[${i}]`, depth + 1)
        return this
      }
      case KIND.MAP:
        return this.sortedMap([...(v as Map<unknown, unknown>).entries()], where, depth)
      case KIND.OBJECT:
        return this.sortedMap(Object.entries(v as object), where, depth)
      default:
        throw unsupported(v, where, 'used in an expression')
    }
  }

  /** A map in key order behind the key-ordered marker, as the official client sends maps. */
  private sortedMap(entries: Array<[unknown, unknown]>, where: string, depth: number): this {
    const keyed = entries.map(([k, val]) => {
      const rank = keyRank(k)
      if (rank < 0) throw new TypeError(`${where}: map keys must be strings, integers or Buffers, got ${describe(k)}`)
      return { k, val, rank }
    })
    keyed.sort((a, b) => a.rank - b.rank || compareKeys(a.k, b.k))
    this.mapHeader(keyed.length + 1)
    this.ensure(4)
    this.buf[this.pos] = 0xc7
    this.buf[this.pos + 1] = 0
    this.buf[this.pos + 2] = 1
    this.buf[this.pos + 3] = 0xc0
    this.pos += 4
    for (const { k, val } of keyed) {
      this.value(k, `${where} (map key)`, depth + 1)
      this.value(val, `${where}.${String(k)}`, depth + 1)
    }
    return this
  }
}

/** Aerospike's order of key classes: integers, then strings, then blobs (-1: not a key). */
function keyRank(k: unknown): number {
  if ((typeof k === 'number' && Number.isSafeInteger(k)) || (typeof k === 'bigint' && isI64(k))) return 0
  if (typeof k === 'string') return 1
  if (k instanceof Uint8Array) return 2
  return -1
}

/** Compares two keys of the same class: integers numerically, strings and blobs bytewise. */
function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b)
  const x = BigInt(a as number | bigint)
  const y = BigInt(b as number | bigint)
  return x < y ? -1 : x > y ? 1 : 0
}
