/**
 * The JavaScript half of the request/response format shared with `crates/napi/src/codec.rs`:
 * every command crosses into Rust as one Buffer and comes back as one Buffer, so the cost per
 * value is a few buffer writes rather than a Node-API call.
 * @module
 * @internal
 */
import { HyperLogLog } from './hyperloglog'
import { hllWrapping } from './module_setup'
import { native } from './native'
import { KIND, classify, describe, isMapKey } from './value'
import type { Double, GeoJSON } from './values'

/**
 * The value tags of the format. Their numbers are `ValueTag` of `crates/napi/src/codec.rs`,
 * which napi-rs writes into the binding, so the two sides cannot disagree.
 */
export const TAG = {
  NIL: native.ValueTag.Nil,
  FALSE: native.ValueTag.False,
  TRUE: native.ValueTag.True,
  INT: native.ValueTag.Int,
  SAFE_INT: native.ValueTag.SafeInt,
  FLOAT: native.ValueTag.Float,
  STR: native.ValueTag.Str,
  BLOB: native.ValueTag.Blob,
  LIST: native.ValueTag.List,
  MAP: native.ValueTag.Map,
  GEOJSON: native.ValueTag.GeoJson,
  HLL: native.ValueTag.Hll,
  UNKNOWN: native.ValueTag.Unknown,
  MULTI: native.ValueTag.Multi,
} as const


/** A buffer that doubles as it fills: the storage under {@link Writer} and the msgpack packer. */
export class GrowableBuffer {
  buf: Buffer
  pos = 0

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size)
  }

  /** Makes room for `n` more bytes at `pos`. */
  protected ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }
}

/** Appends little-endian fields to a growable buffer. */
export class Writer extends GrowableBuffer {
  constructor(size = 256) {
    super(size)
  }

  u8(v: number): void {
    this.ensure(1)
    this.buf[this.pos++] = v
  }

  u32(v: number): void {
    this.ensure(4)
    this.buf.writeUInt32LE(v, this.pos)
    this.pos += 4
  }

  i32(v: number): void {
    this.ensure(4)
    this.buf.writeInt32LE(v, this.pos)
    this.pos += 4
  }

  /** A safe integer as i64, without allocating a bigint. */
  int(v: number): void {
    this.ensure(8)
    const hi = Math.floor(v / 4294967296)
    this.buf.writeUInt32LE(v - hi * 4294967296, this.pos)
    this.buf.writeInt32LE(hi, this.pos + 4)
    this.pos += 8
  }

  i64(v: bigint): void {
    this.ensure(8)
    this.buf.writeBigInt64LE(v, this.pos)
    this.pos += 8
  }

  f64(v: number): void {
    this.ensure(8)
    this.buf.writeDoubleLE(v, this.pos)
    this.pos += 8
  }

  /** Length-prefixed UTF-8. */
  str(s: string): void {
    const len = s.length
    const max = len * 3
    this.ensure(4 + max)
    const buf = this.buf
    const at = this.pos + 4
    // Short ASCII strings (bin names, small values) byte by byte: cheaper than a call into C++.
    if (len <= 16) {
      let i = 0
      for (; i < len; i++) {
        const c = s.charCodeAt(i)
        if (c >= 0x80) break
        buf[at + i] = c
      }
      if (i === len) {
        buf.writeUInt32LE(len, this.pos)
        this.pos = at + len
        return
      }
    }
    const n = buf.write(s, at, max, 'utf8')
    buf.writeUInt32LE(n, this.pos)
    this.pos = at + n
  }

  bytes(b: Uint8Array): void {
    this.ensure(4 + b.length)
    this.buf.writeUInt32LE(b.length, this.pos)
    this.buf.set(b, this.pos + 4)
    this.pos += 4 + b.length
  }

  raw(b: Uint8Array): void {
    this.ensure(b.length)
    this.buf.set(b, this.pos)
    this.pos += b.length
  }

  /** A copy of what was written (the native call keeps it while it runs). */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos))
  }
}

/**
 * Encodes one value. `where` names the bin (or key) for error messages. Throws a TypeError for
 * anything that has no Aerospike representation (see {@link classify}).
 */
export function writeValue(w: Writer, v: unknown, where: string, depth = 0): void {
  const kind = classify(v, where, depth, 'stored')
  switch (kind) {
    case KIND.NIL:
    case KIND.BOOL:
      w.u8(v === null || v === undefined ? TAG.NIL : v ? TAG.TRUE : TAG.FALSE)
      return
    case KIND.INT:
    case KIND.BIGINT:
      w.u8(TAG.INT)
      if (kind === KIND.INT) w.int(v as number)
      else w.i64(v as bigint)
      return
    case KIND.FLOAT:
    case KIND.DOUBLE:
      w.u8(TAG.FLOAT)
      w.f64(kind === KIND.FLOAT ? (v as number) : (v as Double).Double)
      return
    case KIND.STR:
    case KIND.GEOJSON:
      w.u8(kind === KIND.STR ? TAG.STR : TAG.GEOJSON)
      w.str(kind === KIND.STR ? (v as string) : (v as GeoJSON).str)
      return
    case KIND.BYTES:
    case KIND.HLL: {
      const b = kind === KIND.BYTES ? v : (v as HyperLogLog).buffer
      if (!(b instanceof Uint8Array)) throw new TypeError(`${where}: HyperLogLog.buffer must be a Buffer`)
      w.u8(kind === KIND.BYTES ? TAG.BLOB : TAG.HLL)
      w.bytes(b)
      return
    }
    case KIND.LIST: {
      const list = v as unknown[]
      w.u8(TAG.LIST)
      w.u32(list.length)
      for (let i = 0; i < list.length; i++) writeValue(w, list[i], `${where}[${i}]`, depth + 1)
      return
    }
    case KIND.MAP:
      writeEntries(w, v as Map<unknown, unknown>, where, depth)
      return
    case KIND.OBJECT: {
      const keys = Object.keys(v as object)
      w.u8(TAG.MAP)
      w.u32(keys.length)
      for (const k of keys) {
        w.u8(TAG.STR)
        w.str(k)
        writeValue(w, (v as Record<string, unknown>)[k], `${where}.${k}`, depth + 1)
      }
    }
  }
}

/** A `Map`, its entries in insertion order (keys must be strings, integers or bytes). */
function writeEntries(w: Writer, m: Map<unknown, unknown>, where: string, depth: number): void {
  w.u8(TAG.MAP)
  w.u32(m.size)
  for (const [k, val] of m) {
    if (!isMapKey(k)) throw new TypeError(`${where}: map keys must be strings, integers or Buffers, got ${describe(k)}`)
    writeValue(w, k, `${where} (map key)`, depth + 1)
    writeValue(w, val, `${where}.${String(k)}`, depth + 1)
  }
}

// Recently decoded short strings (bin names above all), by a hash of their bytes, so that
// reading the same names again and again allocates nothing.
const STR_CACHE_SIZE = 512
const strCache: (string | undefined)[] = new Array(STR_CACHE_SIZE).fill(undefined)

/** The `n` (at most 16) bytes at `pos` as a string, from the cache when they are ASCII. */
function shortStr(buf: Buffer, pos: number, n: number): string {
  let h = n
  for (let i = 0; i < n; i++) {
    const c = buf[pos + i]!
    if (c >= 0x80) return buf.toString('utf8', pos, pos + n)
    h = (Math.imul(h, 31) + c) | 0
  }
  const slot = h & (STR_CACHE_SIZE - 1)
  const hit = strCache[slot]
  if (hit !== undefined && hit.length === n) {
    let i = 0
    while (i < n && hit.charCodeAt(i) === buf[pos + i]) i++
    if (i === n) return hit
  }
  const s = buf.toString('latin1', pos, pos + n)
  strCache[slot] = s
  return s
}

/** Reads the response format. */
export class Reader {
  pos = 0
  constructor(readonly buf: Buffer) {}

  u8(): number {
    return this.buf[this.pos++]
  }

  u32(): number {
    const v = this.buf.readUInt32LE(this.pos)
    this.pos += 4
    return v
  }

  i32(): number {
    const v = this.buf.readInt32LE(this.pos)
    this.pos += 4
    return v
  }

  f64(): number {
    const v = this.buf.readDoubleLE(this.pos)
    this.pos += 8
    return v
  }

  str(): string {
    const n = this.u32()
    const s = n <= 16 ? shortStr(this.buf, this.pos, n) : this.buf.toString('utf8', this.pos, this.pos + n)
    this.pos += n
    return s
  }

  bytes(): Buffer {
    const n = this.u32()
    const b = Buffer.from(this.buf.subarray(this.pos, this.pos + n))
    this.pos += n
    return b
  }

  /** Like {@link bytes}, without the copy: a view into the response, valid while it is. */
  view(): Buffer {
    const n = this.u32()
    const b = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return b
  }

  value(): unknown {
    switch (this.u8()) {
      case TAG.NIL:
        return null
      case TAG.FALSE:
        return false
      case TAG.TRUE:
        return true
      case TAG.SAFE_INT:
      case TAG.FLOAT:
        return this.f64()
      case TAG.INT: {
        const v = this.buf.readBigInt64LE(this.pos)
        this.pos += 8
        return v
      }
      case TAG.STR:
        return this.str()
      case TAG.BLOB:
        return this.bytes()
      case TAG.HLL:
        return hllWrapping() ? new HyperLogLog(this.bytes()) : this.bytes()
      case TAG.GEOJSON:
        // The official client reads GeoJSON values back as their JSON text.
        return this.str()
      case TAG.LIST: {
        const n = this.u32()
        const out = new Array(n)
        for (let i = 0; i < n; i++) out[i] = this.value()
        return out
      }
      case TAG.MULTI: {
        // Several operations of one `operate` on the same bin: as with the official client,
        // the bin holds the last one's result.
        const n = this.u32()
        let last: unknown = null
        for (let i = 0; i < n; i++) last = this.value()
        return last
      }
      case TAG.MAP: {
        const n = this.u32()
        const out: Record<string, unknown> = {}
        for (let i = 0; i < n; i++) {
          const k = this.value()
          out[String(k)] = this.value()
        }
        return out
      }
      case TAG.UNKNOWN: {
        this.u8()
        return this.bytes()
      }
      default:
        throw new Error(`corrupt response at byte ${this.pos - 1}`)
    }
  }
}
