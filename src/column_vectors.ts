/**
 * Variable-length columns (`str`, `bytes`, `geojson`, `list<f64>`, `list<i64>`) in the Arrow
 * layout: one `Int32Array` of offsets (rows + 1) over one data buffer, filled in Rust. Nothing
 * is decoded until a value is read: `get(i)` decodes one string (or takes a view of one blob or
 * list), so a column of a million strings costs two typed arrays, not a million strings.
 * @module
 */
import type { NativeColumns } from '../native'
import type { Writer } from './codec'

/** Element type of a column. */
export type ColumnType = 'f64' | 'i64' | 'i32' | 'bool' | 'str' | 'bytes' | 'geojson' | 'list<f64>' | 'list<i64>'
/** Bin name → column type. */
export type ColumnSpec = Record<string, ColumnType>

/** What a column of type `T` is read into. */
export type ArrayFor<T extends ColumnType> = T extends 'f64'
  ? Float64Array
  : T extends 'i64'
    ? BigInt64Array
    : T extends 'i32'
      ? Int32Array
      : T extends 'bool'
        ? Uint8Array
        : T extends 'str' | 'geojson'
          ? StringColumn
          : T extends 'bytes'
            ? BytesColumn
            : T extends 'list<f64>'
              ? ListColumn<Float64Array>
              : ListColumn<BigInt64Array>

/** Column types → how the spec names them (every name `ColumnType` allows). */
export const COLUMN_TYPES: ReadonlySet<string> = new Set<ColumnType>(['f64', 'i64', 'i32', 'bool', 'str', 'bytes', 'geojson', 'list<f64>', 'list<i64>'])

/** Writes a column spec (`u32 n`, then name and type of each column), checking it. */
export function writeSpec(w: Writer, columns: ColumnSpec): void {
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) throw new TypeError('columns must be an object of bin name → type')
  const names = Object.keys(columns)
  if (names.length === 0) throw new TypeError('columns must name at least one bin')
  w.u32(names.length)
  for (const name of names) {
    const t = columns[name]
    if (!COLUMN_TYPES.has(t)) throw new TypeError(`column "${name}": type must be one of ${[...COLUMN_TYPES].join(', ')}; got ${String(t)}`)
    if (Buffer.byteLength(name) > 15 || name.length === 0) throw new TypeError(`column "${name}": not a valid bin name`)
    w.str(name)
    w.str(t)
  }
}

/** Values of one variable-length column: `offsets[i]..offsets[i + 1]` in `data` is row `i`. */
abstract class VarColumn<V, D extends ArrayLike<unknown>> implements Iterable<V | null> {
  /** Number of rows. */
  readonly length: number
  constructor(
    /** Start of each row's value in `data`, and the end of the last (rows + 1 entries). */
    readonly offsets: Int32Array,
    /** Every row's value, back to back. */
    readonly data: D,
    /** 1 where the row holds a value. */
    readonly valid: Uint8Array,
  ) {
    this.length = offsets.length - 1
  }

  /** Row `i`'s value, or `null` where it has none (or `i` is out of range). */
  get(i: number): V | null {
    if (!(i >= 0 && i < this.length) || this.valid[i] !== 1) return null
    return this.slice(this.offsets[i], this.offsets[i + 1])
  }

  /** @internal The value between two offsets. */
  protected abstract slice(begin: number, end: number): V

  *[Symbol.iterator](): IterableIterator<V | null> {
    for (let i = 0; i < this.length; i++) yield this.get(i)
  }

  /** Every row's value (`null` where none). */
  toArray(): Array<V | null> {
    return Array.from(this)
  }
}

/** A `str` or `geojson` column: UTF-8 bytes, decoded one value at a time by `get(i)`. */
export class StringColumn extends VarColumn<string, Uint8Array> {
  private readonly buf: Buffer
  constructor(offsets: Int32Array, data: Uint8Array, valid: Uint8Array) {
    super(offsets, data, valid)
    this.buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  }
  protected slice(begin: number, end: number): string {
    return this.buf.toString('utf8', begin, end)
  }
}

/** A `bytes` column: `get(i)` is a view of row `i`'s bytes (no copy). */
export class BytesColumn extends VarColumn<Uint8Array, Uint8Array> {
  protected slice(begin: number, end: number): Uint8Array {
    return this.data.subarray(begin, end)
  }
}

/** A `list<f64>` or `list<i64>` column: `get(i)` is a view of row `i`'s items (no copy). */
export class ListColumn<A extends Float64Array | BigInt64Array> extends VarColumn<A, A> {
  protected slice(begin: number, end: number): A {
    return this.data.subarray(begin, end) as A
  }
}

/** The result of a columnar read. */
export interface ColumnarResult<C extends ColumnSpec = ColumnSpec> {
  /** Number of rows (= number of keys, or the records of a scan batch). */
  length: number
  /** Per-row result code: 0 found, 2 not found, 27 filtered out, other codes for errors, -1 when the row got no answer (its node's part of the batch failed). */
  status: Int32Array
  /** Per-row generation (0 when not found). */
  gen: Uint32Array
  /** Per-row seconds to live; -1 = never expires; 0 when not found. */
  ttl: Int32Array
  /** One typed array (or variable-length column) per requested bin. */
  columns: { [K in keyof C]: ArrayFor<C[K]> }
  /** Per-bin validity: 1 where the row holds a usable value. */
  valid: { [K in keyof C]: Uint8Array }
  /** Per-bin count of values of a non-convertible type (or too large for the column). */
  mismatched: { [K in keyof C]: number }
}

/** Wraps the native columns of `length` rows in the result shape. */
export function columnarResult<C extends ColumnSpec>(res: NativeColumns, length: number): ColumnarResult<C> {
  const cols: Record<string, unknown> = {}
  const valid: Record<string, Uint8Array> = {}
  const mismatched: Record<string, number> = {}
  res.bins.forEach((bin, i) => {
    const offsets = res.offsets[i]
    const v = res.valid[i]
    if (offsets) {
      const kind = res.kinds[i]
      if (kind === 'bytes') cols[bin] = new BytesColumn(offsets, res.bytes[i] as Uint8Array, v)
      else if (kind === 'list<f64>') cols[bin] = new ListColumn(offsets, res.f64[i] as Float64Array, v)
      else if (kind === 'list<i64>') cols[bin] = new ListColumn(offsets, res.i64[i] as BigInt64Array, v)
      else cols[bin] = new StringColumn(offsets, res.bytes[i] as Uint8Array, v)
    } else cols[bin] = res.f64[i] ?? res.i64[i] ?? res.i32[i] ?? res.bool[i]
    valid[bin] = v
    mismatched[bin] = res.mismatched[i]
  })
  return {
    length,
    status: res.status,
    gen: res.generation,
    ttl: res.ttl,
    columns: cols as ColumnarResult<C>['columns'],
    valid: valid as ColumnarResult<C>['valid'],
    mismatched: mismatched as ColumnarResult<C>['mismatched'],
  }
}
