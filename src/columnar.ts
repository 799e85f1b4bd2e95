/**
 * Columnar batch reads: numeric bins of many records into one typed array per bin, filled in
 * Rust, with no JavaScript object per record.
 *
 * ```ts
 * const cols = await client.batchReadColumns(keys, { price: 'f64', qty: 'i64', flags: 'i32' })
 * cols.columns.price        // Float64Array, NaN where missing
 * cols.valid.price          // Uint8Array, 1 where the record had a usable value
 * cols.status               // Int32Array: 0 found, 2 not found, …
 * ```
 *
 * Rules: a missing record (status ≠ 0) or a missing bin is invalid in that row. Invalid slots
 * hold `NaN` in `f64` columns and `0` in the others, so check `valid` (or `isNaN`) to tell them
 * from a stored zero. `f64` accepts doubles and integers (integers beyond ±2^53 round);
 * `i64` accepts integers; `i32` accepts integers within ±2^31; `bool` accepts booleans and the
 * integers 0 and 1. Any other value is masked invalid and counted in `mismatched[bin]`.
 * @module
 */
import { Writer } from './codec'
import type { Client } from './client'
import { asKey, Key, writeKey, type KeyOptions } from './key'
import { writeBatchPolicy } from './policy'
import { checkArray } from './batch'

/** Element type of a column. */
export type ColumnType = 'f64' | 'i64' | 'i32' | 'bool'
/** Bin name → column type. */
export type ColumnSpec = Record<string, ColumnType>

/** The typed array a column type is read into. */
export type ArrayFor<T extends ColumnType> = T extends 'f64' ? Float64Array : T extends 'i64' ? BigInt64Array : T extends 'i32' ? Int32Array : Uint8Array

/** The result of {@link Client.batchReadColumns}. */
export interface ColumnarResult<C extends ColumnSpec = ColumnSpec> {
  /** Number of rows (= number of keys). */
  length: number
  /** Per-row result code: 0 found, 2 not found, 27 filtered out, other codes for errors, -1 when the row got no answer (its node's part of the batch failed). */
  status: Int32Array
  /** Per-row generation (0 when not found). */
  gen: Uint32Array
  /** Per-row seconds to live; -1 = never expires; 0 when not found. */
  ttl: Int32Array
  /** One typed array per requested bin. */
  columns: { [K in keyof C]: ArrayFor<C[K]> }
  /** Per-bin validity: 1 where the row holds a usable value. */
  valid: { [K in keyof C]: Uint8Array }
  /** Per-bin count of values of a non-convertible type. */
  mismatched: { [K in keyof C]: number }
}

const TYPES = new Set<string>(['f64', 'i64', 'i32', 'bool'])

/** Reads the columns of `columns` for every key. */
export async function batchReadColumns<C extends ColumnSpec>(client: Client, keys: Array<Key | KeyOptions>, columns: C, policy: unknown): Promise<ColumnarResult<C>> {
  checkArray(keys, 'keys')
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) throw new TypeError('columns must be an object of bin name → type')
  const names = Object.keys(columns)
  if (names.length === 0) throw new TypeError('columns must name at least one bin')
  const w = new Writer(64 + keys.length * 40)
  writeBatchPolicy(w, client._policy('batch', policy))
  w.u32(names.length)
  for (const name of names) {
    const t = columns[name]
    if (!TYPES.has(t)) throw new TypeError(`column "${name}": type must be 'f64', 'i64', 'i32' or 'bool', got ${String(t)}`)
    if (Buffer.byteLength(name) > 15 || name.length === 0) throw new TypeError(`column "${name}": not a valid bin name`)
    w.str(name)
    w.str(t)
  }
  w.u32(keys.length)
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] instanceof Key ? (keys[i] as Key) : asKey(keys[i], `keys[${i}]`)
    // Columnar reads tend to repeat the same keys: compute the digest once per Key object
    // (cached in its encoded form) instead of once per call on the Rust side.
    if (k._encoded === null) void k.digest
    writeKey(w, k)
  }
  const req = w.finish()
  const res = await client._call((n) => n.batchColumns(req))
  const cols: Record<string, unknown> = {}
  const valid: Record<string, Uint8Array> = {}
  const mismatched: Record<string, number> = {}
  res.bins.forEach((bin, i) => {
    cols[bin] = res.f64[i] ?? res.i64[i] ?? res.i32[i] ?? res.bool[i]
    valid[bin] = res.valid[i]
    mismatched[bin] = res.mismatched[i]
  })
  return {
    length: keys.length,
    status: res.status,
    gen: res.generation,
    ttl: res.ttl,
    columns: cols as ColumnarResult<C>['columns'],
    valid: valid as ColumnarResult<C>['valid'],
    mismatched: mismatched as ColumnarResult<C>['mismatched'],
  }
}
