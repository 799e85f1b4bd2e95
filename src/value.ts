/**
 * The one model of a JavaScript value sent to Aerospike: bin values and keys (`codec.ts`),
 * expression literals (`exp/msgpack.ts`) and CDT operation arguments all ask {@link classify}
 * what a value is, so they accept and refuse the same values with the same messages. The
 * encoders only decide how each kind is written.
 *
 * The rules follow the official client: a safe-integer number is an integer, any other finite
 * number a double, a bigint an integer when it fits 64 bits; `Double` forces a double and, as
 * the official `Double` constructor does, never holds NaN; `undefined` inside a stored list or
 * map is nil. NaN and ±Infinity as plain numbers are refused, in bins as in expressions.
 * @module
 * @internal
 */
import { HyperLogLog } from './hyperloglog'
import { Double, GeoJSON } from './values'
import { isExpression } from './exp/marker'

export const I64_MIN = -(2n ** 63n)
export const I64_MAX = 2n ** 63n - 1n
const U64_MAX = 2n ** 64n - 1n

/** Whether `v` fits a signed 64-bit integer. */
export function isI64(v: bigint): boolean {
  return v >= I64_MIN && v <= I64_MAX
}

/** Whether `v` fits an unsigned 64-bit integer. */
export function isU64(v: bigint): boolean {
  return v >= 0n && v <= U64_MAX
}

/** Deepest nesting of lists/maps accepted (cyclic structures hit this limit). */
export const MAX_DEPTH = 64

/** Describes a value for an error message. */
export function describe(v: unknown): string {
  if (v === null) return 'null'
  if (v === undefined) return 'undefined'
  if (typeof v === 'number' || typeof v === 'bigint') return String(v)
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v)
  if (typeof v === 'object') {
    try {
      return (v as object).constructor?.name ?? 'object'
    } catch {
      return 'object' // a proxy that throws
    }
  }
  return typeof v
}

/** Whether `v` is a plain object (an object literal or `Object.create(null)`). */
export function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Whether `k` can key an Aerospike map: a string, an integer or bytes. */
export function isMapKey(k: unknown): boolean {
  return typeof k === 'string' || typeof k === 'bigint' || (typeof k === 'number' && Number.isSafeInteger(k)) || k instanceof Uint8Array
}

/** What a value is, as {@link classify} answers. */
export const KIND = {
  NIL: 0,
  BOOL: 1,
  /** A safe-integer number. */
  INT: 2,
  /** A bigint within 64 bits. */
  BIGINT: 3,
  /** Any other finite number. */
  FLOAT: 4,
  /** A `Double` (its `.Double`, a number other than NaN). */
  DOUBLE: 5,
  STR: 6,
  BYTES: 7,
  /** An array (not an expression). */
  LIST: 8,
  /** A `Map`. */
  MAP: 9,
  /** A plain object, a map with string keys. */
  OBJECT: 10,
  GEOJSON: 11,
  HLL: 12,
} as const
export type Kind = (typeof KIND)[keyof typeof KIND]

/** How a refused value would have been used, for the message: "cannot be stored". */
export type Use = 'stored' | 'used in an expression'

/** The `TypeError` for a value of a kind the encoder has no representation for. */
export function unsupported(v: unknown, where: string, use: Use): TypeError {
  const what = v !== null && typeof v === 'object' ? describe(v) : typeof v
  return new TypeError(`${where}: values of type ${what} cannot be ${use}`)
}

/**
 * What `v` is. Throws a `TypeError` naming `where` for a value with no Aerospike
 * representation: NaN or ±Infinity, a bigint beyond 64 bits, a `Double` of NaN, `undefined` (but
 * nil inside a stored list or map), nesting deeper than {@link MAX_DEPTH}, a
 * function, a symbol or an object of another class.
 */
export function classify(v: unknown, where: string, depth: number, use: Use): Kind {
  switch (typeof v) {
    case 'number':
      if (Number.isSafeInteger(v)) return KIND.INT
      if (Number.isFinite(v)) return KIND.FLOAT
      throw new TypeError(`${where}: ${v} cannot be ${use} (NaN and Infinity are not valid values)`)
    case 'string':
      return KIND.STR
    case 'boolean':
      return KIND.BOOL
    case 'bigint':
      if (!isI64(v)) throw new TypeError(`${where}: bigint ${v} is outside the 64-bit integer range`)
      return KIND.BIGINT
    case 'undefined':
      // Inside a list or map of a stored value, as with the official client, `undefined` is
      // nil; an expression refuses it anywhere.
      if (depth === 0 || use !== 'stored') throw unsupported(v, where, use)
      return KIND.NIL
    case 'object':
      break
    default:
      throw unsupported(v, where, use)
  }
  if (v === null) return KIND.NIL
  if (depth >= MAX_DEPTH) throw new TypeError(`${where}: value is nested more than ${MAX_DEPTH} levels deep (or is cyclic)`)
  if (v instanceof Uint8Array) return KIND.BYTES
  if (Array.isArray(v)) {
    if (isExpression(v)) throw unsupported(v, where, use)
    return KIND.LIST
  }
  if (v instanceof Double) {
    const d: unknown = v.Double
    if (typeof d !== 'number' || Number.isNaN(d)) throw new TypeError(`${where}: Double(${describe(d)}) cannot be ${use} (a Double wraps a number other than NaN)`)
    return KIND.DOUBLE
  }
  if (v instanceof GeoJSON) return KIND.GEOJSON
  if (v instanceof HyperLogLog) return KIND.HLL
  if (v instanceof Map) return KIND.MAP
  if (isPlainObject(v)) return KIND.OBJECT
  throw unsupported(v, where, use)
}
