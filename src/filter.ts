/**
 * Secondary-index filters for {@link Query.where}, with the official client's names.
 * A query has at most one filter; the server answers it from a secondary index on the bin
 * (`ERR_INDEX_NOT_FOUND`, 201, when there is none).
 * @module
 */
import { GeoJSON, type AerospikeValue } from './values'
import { CdtContext } from './cdt_context'
import { packContext, type AerospikeExp } from './exp/core'

/** What a collection index covers: the bin value, list elements, map keys or map values. */
export const indexType = { DEFAULT: 0, LIST: 1, MAPKEYS: 2, MAPVALUES: 3, SET: 4 } as const
/** The values of `indexType`, as a type (the official client declares `indexType` as an enum). */
export type indexType = (typeof indexType)[keyof typeof indexType]
export type IndexType = indexType

/** A secondary-index filter. */
export interface Filter {
  readonly kind: 'equal' | 'range' | 'geoWithinRegion' | 'geoWithinRadius' | 'geoContains'
  /** The indexed bin; `null` for a filter used with `query.whereWithIndexName()`. */
  readonly bin: string | null
  /** The index to use, by name (set by `query.whereWithIndexName()`). */
  indexName?: string
  readonly indexType: IndexType
  readonly values: readonly unknown[]
  /** Packed context of an index on a nested element. */
  readonly context?: Buffer
  /** The expression of an expression index to use (set by `query.whereWithExp()`). */
  exp?: AerospikeExp | string
}

/**
 * The class of every filter the builders make (the official client's name, so that
 * `f instanceof filter.SindexFilterPredicate` holds as it does there).
 */
export class SindexFilterPredicate implements Filter {
  declare readonly kind: Filter['kind']
  declare readonly bin: string | null
  declare indexName?: string
  declare readonly indexType: IndexType
  declare readonly values: readonly unknown[]
  declare readonly context?: Buffer
  declare exp?: AerospikeExp | string

  /** @internal Use the filter builders (`filter.equal`, `filter.range`, …). */
  constructor(fields: Filter) {
    Object.assign(this, fields)
  }
}

function withContext(f: Filter, ctx: CdtContext | null | undefined): Filter {
  return new SindexFilterPredicate(ctx === undefined || ctx === null ? f : { ...f, context: packContext(ctx, 'filter context') })
}

/** A bin name, or `null` (as the official client allows) for a filter that names its index. */
function checkBin(bin: unknown): string | null {
  if (bin === null) return null
  if (typeof bin !== 'string' || bin.length === 0 || Buffer.byteLength(bin) > 15) throw new TypeError('filter: bin must be a bin name of 1 to 15 bytes')
  return bin
}

function checkType(t: unknown): IndexType {
  if (t === undefined || t === null) return indexType.DEFAULT
  if (t !== 0 && t !== 1 && t !== 2 && t !== 3) throw new TypeError('filter: indexType must be one of indexType.DEFAULT, LIST, MAPKEYS, MAPVALUES')
  return t
}

function checkInt(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') {
    if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new TypeError(`filter: ${what} is outside the 64-bit integer range`)
    return v
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new TypeError(`filter: ${what} must be an integer`)
  return BigInt(v)
}

function geoText(v: unknown, what: string): string {
  if (v instanceof GeoJSON) return v.toString()
  if (typeof v === 'string') return v
  if (v !== null && typeof v === 'object') return JSON.stringify(v)
  throw new TypeError(`filter: ${what} must be GeoJSON (a GeoJSON object, string or plain object)`)
}

/** Records whose bin equals `value` (an integer, a string, or a Buffer for blob indexes; any
 * other value is a TypeError, though typed, as in the official typings, as any bin value). */
export function equal(bin: string | null, value: number | bigint | string | Buffer | AerospikeValue, type?: IndexType | CdtContext, context?: CdtContext | null): Filter {
  // As typed officially, `equal(bin, value, context)` (a context in the index type's place).
  if (type instanceof CdtContext) [type, context] = [undefined, type]
  let v: unknown = value
  if (typeof value === 'number' || typeof value === 'bigint') v = checkInt(value, 'value')
  else if (typeof value !== 'string' && !(value instanceof Uint8Array)) throw new TypeError('filter.equal: value must be an integer, a string or a Buffer')
  return withContext({ kind: 'equal', bin: checkBin(bin), indexType: checkType(type), values: [v] }, context)
}

/** Records whose integer bin lies in `[min, max]` (both inclusive). */
export function range(bin: string | null, min: number | bigint, max: number | bigint, type?: IndexType, context?: CdtContext | null): Filter {
  const lo = checkInt(min, 'min')
  const hi = checkInt(max, 'max')
  return withContext({ kind: 'range', bin: checkBin(bin), indexType: checkType(type), values: [lo, hi] }, context)
}

/** Records whose list (or map keys / values, by `type`) contains `value`. */
export function contains(bin: string | null, value: number | bigint | string | Buffer | AerospikeValue, type: IndexType, context?: CdtContext | null): Filter {
  return { ...equal(bin, value, undefined, context), indexType: checkType(type) }
}

/** Records whose GeoJSON bin lies within the GeoJSON region. */
export function geoWithinGeoJSONRegion(bin: string | null, region: GeoJSON | string | object, type?: IndexType, context?: CdtContext | null): Filter {
  return withContext({ kind: 'geoWithinRegion', bin: checkBin(bin), indexType: checkType(type), values: [geoText(region, 'region')] }, context)
}

/** Records whose GeoJSON point lies within `radius` meters of (`lng`, `lat`). */
export function geoWithinRadius(bin: string | null, lng: number, lat: number, radius: number, type?: IndexType, context?: CdtContext | null): Filter {
  for (const [v, n] of [[lng, 'lng'], [lat, 'lat'], [radius, 'radius']] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`filter.geoWithinRadius: ${n} must be a finite number`)
  }
  if (radius < 0) throw new TypeError('filter.geoWithinRadius: radius must not be negative')
  return withContext({ kind: 'geoWithinRadius', bin: checkBin(bin), indexType: checkType(type), values: [lng, lat, radius] }, context)
}

/** Records whose GeoJSON region contains the GeoJSON point. */
export function geoContainsGeoJSONPoint(bin: string | null, point: GeoJSON | string | object, type?: IndexType, context?: CdtContext | null): Filter {
  return withContext({ kind: 'geoContains', bin: checkBin(bin), indexType: checkType(type), values: [geoText(point, 'point')] }, context)
}

/** Records whose GeoJSON region contains the point (`lng`, `lat`). */
export function geoContainsPoint(bin: string | null, lng: number, lat: number, type?: IndexType, context?: CdtContext | null): Filter {
  if (typeof lng !== 'number' || !Number.isFinite(lng) || typeof lat !== 'number' || !Number.isFinite(lat)) throw new TypeError('filter.geoContainsPoint: lng and lat must be finite numbers')
  return geoContainsGeoJSONPoint(bin, JSON.stringify({ type: 'Point', coordinates: [lng, lat] }), type, context)
}
