/**
 * A CDT context to and from its base64 form (`client.contextToBase64()` /
 * `contextFromBase64()`): the msgpack array `[type, value, type, value, …]` the server reads,
 * with values in Aerospike's msgpack conventions (strings and blobs behind a particle-type byte).
 * @module
 * @internal
 */
import { CdtContext } from './cdt_context'
import { packContext } from './exp/core'
import { PARTICLE } from './exp/msgpack'
import { GeoJSON } from './values'

/** The base64 of a packed context. */
export function contextToBase64(ctx: unknown): string {
  if (!(ctx instanceof CdtContext) && (ctx === null || typeof ctx !== 'object' || !Array.isArray((ctx as { items?: unknown }).items))) {
    throw new TypeError('Context must be a cdt.Context')
  }
  if ((ctx as CdtContext).items.length === 0) return Buffer.from([0x90]).toString('base64') // []
  return packContext(ctx, 'contextToBase64').toString('base64')
}

/** A minimal msgpack reader for the values a context can hold. */
class Unpacker {
  private pos = 0
  constructor(private readonly b: Buffer) {}

  done(): boolean {
    return this.pos >= this.b.length
  }

  private need(n: number): void {
    if (this.pos + n > this.b.length) throw new TypeError('contextFromBase64: the serialized context is truncated')
  }

  private u8(): number {
    this.need(1)
    return this.b[this.pos++]!
  }

  private uint(n: 1 | 2 | 4): number {
    this.need(n)
    const v = this.b.readUIntBE(this.pos, n)
    this.pos += n
    return v
  }

  private bytes(n: number): Buffer {
    this.need(n)
    const v = this.b.subarray(this.pos, this.pos + n)
    this.pos += n
    return Buffer.from(v)
  }

  private str(n: number): unknown {
    if (n === 0) return ''
    const raw = this.bytes(n)
    const particle = raw[0]
    const body = raw.subarray(1)
    if (particle === PARTICLE.STRING) return body.toString('utf8')
    if (particle === PARTICLE.BLOB) return Buffer.from(body)
    if (particle === PARTICLE.GEOJSON) return new GeoJSON(body.toString('utf8'))
    return raw.toString('utf8')
  }

  private int64(signed: boolean): number | bigint {
    this.need(8)
    const v = signed ? this.b.readBigInt64BE(this.pos) : this.b.readBigUInt64BE(this.pos)
    this.pos += 8
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
  }

  arrayLength(): number {
    const c = this.u8()
    if ((c & 0xf0) === 0x90) return c & 0x0f
    if (c === 0xdc) return this.uint(2)
    if (c === 0xdd) return this.uint(4)
    throw new TypeError('contextFromBase64: not a serialized context')
  }

  value(depth = 0): unknown {
    if (depth > 64) throw new TypeError('contextFromBase64: nesting too deep')
    const c = this.u8()
    if (c < 0x80) return c
    if (c >= 0xe0) return c - 0x100
    if ((c & 0xe0) === 0xa0) return this.str(c & 0x1f)
    if ((c & 0xf0) === 0x90) return this.list(c & 0x0f, depth)
    if ((c & 0xf0) === 0x80) return this.map(c & 0x0f, depth)
    switch (c) {
      case 0xc0:
        return null
      case 0xc2:
        return false
      case 0xc3:
        return true
      case 0xc4:
        return this.bytes(this.uint(1))
      case 0xc5:
        return this.bytes(this.uint(2))
      case 0xc6:
        return this.bytes(this.uint(4))
      case 0xca: {
        this.need(4)
        const v = this.b.readFloatBE(this.pos)
        this.pos += 4
        return v
      }
      case 0xcb: {
        this.need(8)
        const v = this.b.readDoubleBE(this.pos)
        this.pos += 8
        return v
      }
      case 0xcc:
        return this.uint(1)
      case 0xcd:
        return this.uint(2)
      case 0xce:
        return this.uint(4)
      case 0xcf:
        return this.int64(false)
      case 0xd0:
        return (this.uint(1) << 24) >> 24
      case 0xd1:
        return (this.uint(2) << 16) >> 16
      case 0xd2:
        return this.uint(4) | 0
      case 0xd3:
        return this.int64(true)
      case 0xd9:
        return this.str(this.uint(1))
      case 0xda:
        return this.str(this.uint(2))
      case 0xdb:
        return this.str(this.uint(4))
      case 0xdc:
        return this.list(this.uint(2), depth)
      case 0xdd:
        return this.list(this.uint(4), depth)
      case 0xde:
        return this.map(this.uint(2), depth)
      case 0xdf:
        return this.map(this.uint(4), depth)
      case 0xd4:
        this.bytes(2)
        return EXT
      case 0xc7:
        this.bytes(this.uint(1) + 1)
        return EXT
      default:
        throw new TypeError(`contextFromBase64: unsupported msgpack byte 0x${c.toString(16)}`)
    }
  }

  private list(n: number, depth: number): unknown[] {
    const out: unknown[] = []
    for (let i = 0; i < n; i++) out.push(this.value(depth + 1))
    return out
  }

  private map(n: number, depth: number): Map<unknown, unknown> | Record<string, unknown> {
    const entries: Array<[unknown, unknown]> = []
    for (let i = 0; i < n; i++) {
      const k = this.value(depth + 1)
      const v = this.value(depth + 1)
      if (k !== EXT) entries.push([k, v]) // the key-ordered marker
    }
    if (entries.every(([k]) => typeof k === 'string')) return Object.fromEntries(entries)
    return new Map(entries)
  }
}

/** An ext value (only the map-order marker appears in packed values). */
const EXT = Symbol('ext')

/** The context a {@link contextToBase64} string encodes. */
export function contextFromBase64(serialized: unknown): CdtContext {
  if (typeof serialized !== 'string') throw new TypeError('serializedContext must be a base64 string')
  const u = new Unpacker(Buffer.from(serialized, 'base64'))
  const n = u.arrayLength()
  if (n % 2 !== 0) throw new TypeError('contextFromBase64: not a serialized context')
  const ctx = new CdtContext()
  for (let i = 0; i < n; i += 2) {
    const type = u.value()
    if (typeof type !== 'number' || !Number.isInteger(type)) throw new TypeError('contextFromBase64: not a serialized context')
    ctx.items.push([type, u.value()])
  }
  if (!u.done()) throw new TypeError('contextFromBase64: trailing bytes after the context')
  return ctx
}
