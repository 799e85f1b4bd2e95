/**
 * Columnar results as Apache Arrow: a {@link ColumnarResult} becomes an `apache-arrow` `Table`
 * whose vectors sit on the result's own typed arrays (the values, offsets and data buffers are
 * shared, not copied; only validity bitmaps and `bool` values are packed into bits), and Arrow
 * IPC bytes that pyarrow, Polars and DuckDB read.
 *
 * `apache-arrow` is an optional peer dependency: install it to use these functions. The types
 * here do not name it (so this package compiles without it): {@link ArrowTable} is the part of
 * its `Table` this package relies on; cast to `Table` from `apache-arrow` for the full type.
 * @module
 */
import type * as Arrow from 'apache-arrow'
import type { ColumnarResult, ColumnSpec } from './column_vectors'
import { BytesColumn, ListColumn, StringColumn } from './column_vectors'

/** Options of {@link toArrowTable} and {@link toArrowIPC}. */
export interface ArrowOptions {
  /**
   * Adds the row metadata as columns: `_status` (int32), `_gen` (uint32), `_ttl` (int32), and for
   * scan and query batches `_digest` (fixed-size binary of 20 bytes). @default false
   */
  metadata?: boolean
  /** The `apache-arrow` module to build with (default: `require('apache-arrow')`). */
  arrow?: object
}

/** An `apache-arrow` `Table`, as far as this package's types go (it is a real one). */
export interface ArrowTable {
  readonly numRows: number
  readonly numCols: number
  /** The column named `name` (an Arrow `Vector`), or null. */
  getChild(name: string): unknown
  /** The rows as Arrow row objects. */
  toArray(): unknown[]
}

/** Options of {@link toArrowIPC}. */
export interface ArrowIPCOptions extends ArrowOptions {
  /** `'stream'` (the IPC stream format, the default) or `'file'` (the Feather v2 / IPC file format). */
  format?: 'stream' | 'file'
}

function load(arrow: object | undefined): typeof Arrow {
  if (arrow) return arrow as typeof Arrow
  try {
    return require('apache-arrow') as typeof Arrow
  } catch {
    throw new Error("toArrowTable/toArrowIPC need the optional peer dependency 'apache-arrow': npm install apache-arrow")
  }
}

/** Packs a 0/1 byte per row into Arrow's bit order (bit i of byte i >> 3, least significant first). */
function bits(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array((bytes.length + 7) >> 3)
  for (let i = 0; i < bytes.length; i++) if (bytes[i]) out[i >> 3] |= 1 << (i & 7)
  return out
}

/** The null count and bitmap of a validity mask (no bitmap when every row is valid). */
function nulls(valid: Uint8Array): { nullCount: number; nullBitmap?: Uint8Array } {
  let set = 0
  for (let i = 0; i < valid.length; i++) set += valid[i]
  const nullCount = valid.length - set
  return nullCount === 0 ? { nullCount } : { nullCount, nullBitmap: bits(valid) }
}

/** One column as an Arrow vector over its buffers. */
function vector(A: typeof Arrow, col: unknown, valid: Uint8Array): Arrow.Vector {
  const length = valid.length
  const n = nulls(valid)
  if (col instanceof StringColumn) return A.makeVector(A.makeData({ type: new A.Utf8(), length, ...n, valueOffsets: col.offsets, data: col.data }))
  if (col instanceof BytesColumn) return A.makeVector(A.makeData({ type: new A.Binary(), length, ...n, valueOffsets: col.offsets, data: col.data }))
  if (col instanceof ListColumn) {
    const items = col.data instanceof Float64Array ? new A.Float64() : new A.Int64()
    const child = A.makeData({ type: items, length: col.data.length, nullCount: 0, data: col.data } as never) as Arrow.Data
    const type = new A.List<Arrow.Float64 | Arrow.Int64>(new A.Field('item', items, false))
    return A.makeVector(A.makeData({ type, length, ...n, valueOffsets: col.offsets, child } as never))
  }
  if (col instanceof Float64Array) return A.makeVector(A.makeData({ type: new A.Float64(), length, ...n, data: col }))
  if (col instanceof BigInt64Array) return A.makeVector(A.makeData({ type: new A.Int64(), length, ...n, data: col }))
  if (col instanceof Int32Array) return A.makeVector(A.makeData({ type: new A.Int32(), length, ...n, data: col }))
  if (col instanceof Uint8Array) return A.makeVector(A.makeData({ type: new A.Bool(), length, ...n, data: bits(col) }))
  throw new TypeError('not a column of a columnar result')
}

/**
 * A columnar result (of `batchReadColumns`, or one batch of a columnar scan or query) as an
 * Arrow `Table`: one column per bin, null where the row holds no valid value.
 */
export function toArrowTable<C extends ColumnSpec>(result: ColumnarResult<C>, options: ArrowOptions = {}): ArrowTable {
  return table(result, options)
}

function table<C extends ColumnSpec>(result: ColumnarResult<C>, options: ArrowOptions): Arrow.Table {
  if (result === null || typeof result !== 'object' || !(result.status instanceof Int32Array)) throw new TypeError('toArrowTable needs a columnar result')
  const A = load(options.arrow)
  const vectors: Record<string, Arrow.Vector> = {}
  for (const bin of Object.keys(result.columns)) vectors[bin] = vector(A, result.columns[bin], result.valid[bin])
  if (options.metadata) {
    const all = new Uint8Array(result.length).fill(1)
    vectors._status = vector(A, result.status, all)
    vectors._gen = A.makeVector(A.makeData({ type: new A.Uint32(), length: result.length, nullCount: 0, data: result.gen }))
    vectors._ttl = vector(A, result.ttl, all)
    const digest = (result as { digest?: Uint8Array }).digest
    if (digest) vectors._digest = A.makeVector(A.makeData({ type: new A.FixedSizeBinary(20), length: result.length, nullCount: 0, data: digest }))
  }
  return new A.Table(vectors)
}

/** A columnar result as Arrow IPC bytes (the stream format unless `format: 'file'`). */
export function toArrowIPC<C extends ColumnSpec>(result: ColumnarResult<C>, options: ArrowIPCOptions = {}): Uint8Array {
  const A = load(options.arrow)
  return A.tableToIPC(table(result, options), options.format ?? 'stream')
}
