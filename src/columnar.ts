/**
 * Columnar batch reads: bins of many records into one typed array (or one offsets + data
 * pair) per bin, filled in Rust, with no JavaScript object per record.
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
 * integers 0 and 1; `str`, `bytes`, `geojson` take strings, blobs and GeoJSON values; `list<f64>`
 * and `list<i64>` take whole lists of numbers / integers. Any other value is masked invalid and
 * counted in `mismatched[bin]` (see docs/columnar.md).
 * @module
 */
import { Writer } from './codec'
import type { Client } from './client'
import { asKey, Key, writeKey, type KeyOptions } from './key'
import { writeBatchPolicy } from './policy'
import { checkArray } from './batch'
import { columnarResult, writeSpec, type ColumnarResult, type ColumnSpec } from './column_vectors'

export type { ArrayFor, ColumnType, ColumnSpec, ColumnarResult } from './column_vectors'
export { StringColumn, BytesColumn, ListColumn } from './column_vectors'

/** Reads the columns of `columns` for every key. */
export async function batchReadColumns<C extends ColumnSpec>(client: Client, keys: Array<Key | KeyOptions>, columns: C, policy: unknown): Promise<ColumnarResult<C>> {
  checkArray(keys, 'keys')
  const w = new Writer(64 + keys.length * 40)
  writeBatchPolicy(w, client._policy('batch', policy))
  writeSpec(w, columns)
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
  return columnarResult<C>(res, keys.length)
}
