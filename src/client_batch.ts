/**
 * The batch family of `Client`: `batchRead`, `batchGet`, `batchSelect`, `batchExists`,
 * `batchWrite`, `batchApply`, `batchRemove`, and the columnar `batchReadColumns` / `batchWriteColumns`. The requests
 * are built in `batch.ts` and `columnar.ts`; here are the official signatures.
 * @module
 */
import { Client } from './client'
import { rethrowInput, settle, type Callback } from './callbacks'
import * as batch from './batch'
import type { BatchReadRecord, BatchResult, BatchSelectRecord, BatchWriteRecord } from './batch'
import { batchReadColumns as readColumns, type ColumnSpec, type ColumnarResult } from './columnar'
import { batchWriteColumns as writeColumns, type WriteColumn } from './columnar_write'
import type { Key, KeyOptions } from './key'
import type { BatchPolicy, WritePolicy } from './policy'
import type { UDF } from './udf'

declare module './client' {
  interface Client {
    /** Reads many records in one round trip per node. Each record names its bins (or `readAllBins`, or read operations); results come back in the same order, each with its own `status`. */
    batchRead(records: BatchReadRecord[], policy?: BatchPolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]>
    /** Runs a UDF on many records; each result's `record.bins.SUCCESS` holds the return value. */
    batchApply(keys: Array<Key | KeyOptions>, udf: UDF, policy?: BatchPolicy | null | Callback<any>, applyPolicy?: WritePolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]>
    /** Reads all bins of many records. */
    batchGet(keys: Array<Key | KeyOptions>, policy?: BatchPolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]>
    /** Reads the named bins of many records. */
    batchSelect(keys: Array<Key | KeyOptions>, bins: string[], policy?: BatchPolicy | null | Callback<any>, callback?: Callback<BatchSelectRecord[]>): Promise<BatchSelectRecord[]>
    /** Checks which records exist (status 0) or not (status 2), with their metadata. */
    batchExists(keys: Array<Key | KeyOptions>, policy?: BatchPolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]>
    /** Writes, operates on, reads and removes many records in one call. */
    batchWrite(records: BatchWriteRecord[], policy?: BatchPolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]>
    /** Removes many records. */
    batchRemove(keys: Array<Key | KeyOptions>, policy?: BatchPolicy | null | Callback<BatchResult[]>, removePolicy?: WritePolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]>
    /**
     * Columnar batch read: numeric bins of many records straight into typed arrays, with no
     * JavaScript object per record (see docs/columnar.md for the rules on missing records, missing bins and other types).
     */
    batchReadColumns<C extends ColumnSpec>(keys: Array<Key | KeyOptions>, columns: C, policy?: BatchPolicy | null): Promise<ColumnarResult<C>>
    /**
     * Columnar batch write: one record per key from one array per bin (typed arrays, arrays of
     * strings, blobs or booleans, string/bytes columns), with no JavaScript object per record.
     * Resolves with one result code per row (see docs/columnar.md).
     */
    batchWriteColumns(keys: Array<Key | KeyOptions>, columns: Record<string, WriteColumn>, policy?: BatchPolicy | null, writePolicy?: WritePolicy | null): Promise<Int32Array>
  }
}

/** One batch call: counted as `batch`, its input errors made the official ones, settled on `callback`. */
function batchCall<T>(client: Client, call: () => Promise<T>, callback: Callback<T> | undefined): Promise<T> {
  return settle(client._stats.track('batch', Promise.resolve().then(call).catch(rethrowInput)), callback)
}

Client.prototype.batchRead = function batchRead(this: Client, records: BatchReadRecord[], policy?: BatchPolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]> {
  if (typeof policy === 'function') [policy, callback] = [null, policy]
  return batchCall(this, () => batch.batchRead(this, records, policy), callback)
}

Client.prototype.batchApply = function batchApply(this: Client, keys: Array<Key | KeyOptions>, udf: UDF, policy?: BatchPolicy | null | Callback<any>, applyPolicy?: WritePolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]> {
  if (typeof policy === 'function') [policy, applyPolicy, callback] = [null, null, policy]
  if (typeof applyPolicy === 'function') [applyPolicy, callback] = [null, applyPolicy]
  return batchCall(this, () => batch.batchApply(this, keys, udf, policy, applyPolicy), callback)
}

Client.prototype.batchGet = function batchGet(this: Client, keys: Array<Key | KeyOptions>, policy?: BatchPolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]> {
  if (typeof policy === 'function') [policy, callback] = [null, policy]
  return batchCall(this, () => batch.batchGet(this, keys, null, policy), callback)
}

Client.prototype.batchSelect = function batchSelect(this: Client, keys: Array<Key | KeyOptions>, bins: string[], policy?: BatchPolicy | null | Callback<any>, callback?: Callback<BatchSelectRecord[]>): Promise<BatchSelectRecord[]> {
  if (typeof policy === 'function') [policy, callback] = [null, policy]
  return batchCall(this, () => batch.batchGet(this, keys, bins, policy), callback)
}

Client.prototype.batchExists = function batchExists(this: Client, keys: Array<Key | KeyOptions>, policy?: BatchPolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]> {
  if (typeof policy === 'function') [policy, callback] = [null, policy]
  return batchCall(this, () => batch.batchGet(this, keys, 'header', policy), callback)
}

Client.prototype.batchWrite = function batchWrite(this: Client, records: BatchWriteRecord[], policy?: BatchPolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]> {
  if (typeof policy === 'function') [policy, callback] = [null, policy]
  return batchCall(this, () => batch.batchWrite(this, records, policy), callback)
}

Client.prototype.batchRemove = function batchRemove(this: Client, keys: Array<Key | KeyOptions>, policy?: BatchPolicy | null | Callback<BatchResult[]>, removePolicy?: WritePolicy | null | Callback<any>, callback?: Callback<BatchResult[]>): Promise<BatchResult[]> {
  if (typeof policy === 'function') [policy, removePolicy, callback] = [null, null, policy]
  if (typeof removePolicy === 'function') [removePolicy, callback] = [null, removePolicy]
  return batchCall(this, () => batch.batchRemove(this, keys, policy, removePolicy), callback)
}

Client.prototype.batchReadColumns = function batchReadColumns<C extends ColumnSpec>(this: Client, keys: Array<Key | KeyOptions>, columns: C, policy?: BatchPolicy | null): Promise<ColumnarResult<C>> {
  return this._stats.track('batch', readColumns(this, keys, columns, policy).catch(rethrowInput))
}

Client.prototype.batchWriteColumns = function batchWriteColumns(this: Client, keys: Array<Key | KeyOptions>, columns: Record<string, WriteColumn>, policy?: BatchPolicy | null, writePolicy?: WritePolicy | null): Promise<Int32Array> {
  return this._stats.track('batch', writeColumns(this, keys, columns, policy, writePolicy).catch(rethrowInput))
}
