/**
 * Scans and queries into columns: `query.columns(spec, { rows })` / `scan.columns(…)` is an
 * async iterable of column batches of at most `rows` records, each filled in Rust from the
 * query's record stream (no JavaScript object per record). A batch is taken from Rust only when
 * the consumer asks for it, and the stream's buffer between the server connections and Rust is
 * bounded (`recordQueueSize`), so a slow consumer pauses the scan instead of piling up records.
 * @module
 */
import type { NativeQuery, NativeScanColumns } from '../native'
import { Writer } from './codec'
import { type BytesColumn, columnarResult, type StringColumn, writeSpec, type ColumnarResult, type ColumnSpec } from './column_vectors'
import { fromNative } from './errors'

/** Rows per batch when `rows` is not given. */
export const DEFAULT_BATCH_ROWS = 8192
/** The most rows one batch may ask for. */
export const MAX_BATCH_ROWS_COLUMNS = 1 << 24

/** One batch of a columnar scan or query: the columns of its records, their digests and user keys. */
export interface ScanColumns<C extends ColumnSpec = ColumnSpec> extends ColumnarResult<C> {
  /** Each record's digest, 20 bytes per row (`digest.subarray(20 * i, 20 * i + 20)`). */
  digest: Uint8Array
  /**
   * The user keys, when the records were written with `sendKey` (else `null`): a `BigInt64Array`
   * for integer keys, a {@link StringColumn} for strings, a {@link BytesColumn} for blobs, by the
   * first key of the batch; see {@link userKeyValid}.
   */
  userKey: BigInt64Array | StringColumn | BytesColumn | null
  /** 1 where the row's record carries a user key of the user-key column's type (`null` with no user keys). */
  userKeyValid: Uint8Array | null
}

function batch<C extends ColumnSpec>(b: NativeScanColumns): ScanColumns<C> {
  const rows = b.columns.status.length
  const out = columnarResult<C>(b.columns, rows) as ScanColumns<C>
  out.digest = b.digest
  out.userKey = null
  out.userKeyValid = null
  if (b.userKey) {
    const k = columnarResult<{ userKey: 'str' }>(b.userKey, rows)
    out.userKey = k.columns.userKey as ScanColumns<C>['userKey']
    out.userKeyValid = k.valid.userKey
  }
  return out
}

/**
 * The batches of a started query. The spec and `rows` are checked at once (a TypeError before
 * any iteration); `finish` runs when the iteration ends, is broken off or fails.
 */
export function scanColumns<C extends ColumnSpec>(q: NativeQuery, spec: C, rows: number | undefined, finish: (q: NativeQuery) => Promise<void>): AsyncGenerator<ScanColumns<C>> {
  const w = new Writer(64)
  writeSpec(w, spec)
  const req = w.finish()
  const max = rows ?? DEFAULT_BATCH_ROWS
  if (!Number.isInteger(max) || max < 1 || max > MAX_BATCH_ROWS_COLUMNS) throw new TypeError(`rows must be an integer from 1 to ${MAX_BATCH_ROWS_COLUMNS}`)
  return (async function* () {
    let finished = false
    try {
      for (;;) {
        let b: NativeScanColumns
        try {
          b = await q.nextColumns(max, req)
        } catch (e) {
          throw fromNative(e)
        }
        if (b.columns.status.length > 0) yield batch<C>(b)
        if (b.done) {
          finished = true
          break
        }
      }
    } finally {
      if (!finished) await q.close()
      await finish(q)
    }
  })()
}
