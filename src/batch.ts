/**
 * The batch family: `batchRead`, `batchGet`, `batchSelect`, `batchExists`, `batchWrite`,
 * `batchRemove`. One request buffer for the whole batch, one response buffer back.
 * @module
 */
import { Reader, Writer, writeValue } from './codec'
import type { Client } from './client'
import { asKey, writeKey, type Key, type KeyOptions } from './key'
import { writeOps, type Operation } from './operations'
import { writeBatchPolicy, writeReadTouch, writeWritePolicy, type BasePolicy, type RecordMetadata, type WritePolicy } from './policy'
import { writeFilterExpression } from './exp/policy'
import { AerospikeRecord, readRecord } from './record'
import { AerospikeError } from './errors'
import { status } from './status'
import { writeUdf, type UDF } from './udf'
import type { Bins } from './values'

/** Batch record types, as in the official client. */
export const batchType = Object.freeze({ BATCH_READ: 0, BATCH_WRITE: 1, BATCH_APPLY: 2, BATCH_REMOVE: 3 })
/** The values of `batchType`, as a type (the official client declares `batchType` as an enum). */
export type batchType = (typeof batchType)[keyof typeof batchType]

/** One read of a {@link Client.batchRead}. */
export interface BatchReadRecord {
  key: Key | KeyOptions
  /** Bins to read. With neither `bins` nor `readAllBins` only the metadata is read (as with the official client). */
  bins?: string[]
  /** Read every bin. */
  readAllBins?: boolean
  /** Read operations instead of bins. */
  ops?: Operation[]
  type?: number
  /** Per-record read policy: its `filterExpression` replaces the batch's for this record. */
  policy?: Pick<BasePolicy, 'filterExpression'>
}

/** One entry of a {@link Client.batchWrite}. */
export interface BatchWriteRecord {
  type: number
  key: Key | KeyOptions
  /** Operations (BATCH_WRITE, or BATCH_READ with operations). */
  ops?: Operation[]
  /** Bins to read (BATCH_READ). */
  bins?: string[]
  readAllBins?: boolean
  /** Per-record write policy (exists, gen, key, durableDelete, ttl). */
  policy?: WritePolicy
  /** Per-record metadata (ttl, gen). */
  meta?: RecordMetadata
  /** The UDF to run (BATCH_APPLY). */
  udf?: UDF
}

/** The result for one key of a batch. */
export interface BatchResult<B = Bins> {
  /** Result code for this key: 0 found/done, 2 not found, other codes for errors. */
  status: number
  /** The record (with `bins` when something was read). */
  record: AerospikeRecord<B>
  /** Whether a write in this row may have been applied despite an error. */
  inDoubt: boolean
}

/**
 * A row of `client.batchSelect()` (the official name). The official typings describe it as
 * `{ status, key, meta, bins }`, but the official client, as this one, answers with
 * {@link BatchResult} rows (`{ status, record, inDoubt }`).
 */
export type BatchSelectRecord<B = Bins> = BatchResult<B>

/** Row kinds of the request (read by `crates/napi/src/batch.rs`); `FILTERED` is added to a read
 * kind whose row carries its own policy after the key. */
const ROW = { READ: 0, READ_OPS: 1, OPERATE: 3, REMOVE: 4, FILTERED: 5, APPLY: 7 } as const

/** Starts a read row: kind, key, and the record's own filter expression when it has one. */
function readRow(w: Writer, kind: number, k: Key, policy: unknown, where: string): void {
  const p = policy !== null && typeof policy === 'object' ? (policy as BasePolicy & { readTouchTtlPercent?: number }) : undefined
  const filter = p?.filterExpression
  const touch = p?.readTouchTtlPercent
  const own = (filter !== undefined && filter !== null) || (touch !== undefined && touch !== null)
  w.u8(own ? kind + ROW.FILTERED : kind)
  writeKey(w, k)
  if (own) {
    // The row's own policy (a BatchReadPolicy): its filter expression and readTouchTtlPercent.
    writeFilterExpression(w, filter, `${where}.policy`)
    writeReadTouch(w, touch, `${where}.policy.readTouchTtlPercent`)
  }
}

/**
 * The most rows one batch call accepts. Far above any sensible batch (split larger ones into
 * several calls); it stops an accidental gigantic array from building a request of gigabytes.
 */
export const MAX_BATCH_ROWS = 1_000_000

/** Checks that `v` is an array of at most {@link MAX_BATCH_ROWS} rows. */
export function checkArray<T>(v: unknown, name: string): T[] {
  if (!Array.isArray(v)) throw new TypeError(`${name} must be an array`)
  if (v.length > MAX_BATCH_ROWS) {
    throw new AerospikeError(`${name}: ${v.length} rows exceed the limit of ${MAX_BATCH_ROWS} per batch call; split the batch`, status.ERR_PARAM)
  }
  return v as T[]
}

function writeBinSelection(w: Writer, bins: string[] | null | 'header', where: string): void {
  if (bins === null) {
    w.u8(0)
  } else if (bins === 'header') {
    w.u8(2)
  } else {
    if (!Array.isArray(bins)) throw new TypeError(`${where}: bins must be an array of bin names`)
    w.u8(1)
    w.u32(bins.length)
    for (const b of bins) {
      if (typeof b !== 'string' || b.length === 0) throw new TypeError(`${where}: bin names must be non-empty strings`)
      w.str(b)
    }
  }
}

async function run(client: Client, keys: Key[], w: Writer): Promise<BatchResult[]> {
  const req = w.finish()
  const res = await client._call((n) => n.batch(req))
  const out: BatchResult[] = new Array(keys.length)
  if (keys.length === 0) return out
  const r = new Reader(res)
  const n = r.u32()
  for (let i = 0; i < n; i++) {
    const status = r.i32()
    const inDoubt = r.u8() === 1
    const record = r.u8() === 1 ? readRecord(r, keys[i]) : new AerospikeRecord(keys[i], undefined as unknown as Bins, 0, 0)
    out[i] = { status, record, inDoubt }
  }
  return out
}

/** What a read row reads: all bins with `readAllBins`, else the named `bins`, else (as with the
 * official client) the record's metadata only. */
function readSelection(rec: { bins?: string[]; readAllBins?: boolean }): string[] | null | 'header' {
  if (rec.readAllBins) return null
  return rec.bins === undefined || rec.bins === null ? 'header' : rec.bins
}

/** A read row of `batchRead` or `batchWrite`: its read operations, or its bin selection. */
function writeReadRecord(w: Writer, rec: { ops?: Operation[]; bins?: string[]; readAllBins?: boolean; policy?: unknown }, k: Key, where: string): void {
  if (rec.ops !== undefined) {
    readRow(w, ROW.READ_OPS, k, rec.policy, where)
    writeOps(w, rec.ops)
  } else {
    readRow(w, ROW.READ, k, rec.policy, where)
    writeBinSelection(w, readSelection(rec), where)
  }
}

/** Checks each of `records` and its key, and has `row` write its row. Resolves the keys, in order. */
function eachRecord<R extends { key: Key | KeyOptions }>(records: R[], row: (rec: R, k: Key, where: string) => void): Key[] {
  const keys: Key[] = new Array(records.length)
  records.forEach((rec, i) => {
    if (rec === null || typeof rec !== 'object') throw new TypeError(`records[${i}] must be an object`)
    const k = asKey(rec.key, `records[${i}].key`)
    keys[i] = k
    row(rec, k, `records[${i}]`)
  })
  return keys
}

/** Reads many records: each entry names its key and what to read. */
export async function batchRead(client: Client, records: BatchReadRecord[], policy: unknown): Promise<BatchResult[]> {
  const list = checkArray<BatchReadRecord>(records, 'records')
  const w = new Writer(64 + list.length * 48)
  writeBatchPolicy(w, client._policy('batch', policy))
  w.u32(list.length)
  const keys = eachRecord(list, (rec, k, where) => writeReadRecord(w, rec, k, where))
  return run(client, keys, w)
}

/** Runs a batch of one row per key, all alike: `row` writes each (about `rowBytes` long). */
function keyRows(client: Client, keys: Array<Key | KeyOptions>, policy: unknown, rowBytes: number, row: (w: Writer, k: Key) => void): Promise<BatchResult[]> {
  const list = checkArray<Key>(keys, 'keys').map((k, i) => asKey(k, `keys[${i}]`))
  const w = new Writer(64 + list.length * rowBytes)
  writeBatchPolicy(w, client._policy('batch', policy))
  w.u32(list.length)
  for (const k of list) row(w, k)
  return run(client, list, w)
}

/** Reads the same selection (all bins, named bins, or header only) for many keys. */
export async function batchGet(client: Client, keys: Array<Key | KeyOptions>, bins: string[] | null | 'header', policy: unknown): Promise<BatchResult[]> {
  return keyRows(client, keys, policy, 40, (w, k) => {
    w.u8(ROW.READ)
    writeKey(w, k)
    writeBinSelection(w, bins, 'batch')
  })
}

/** Mixed writes, operates, reads and removes. */
export async function batchWrite(client: Client, records: BatchWriteRecord[], policy: unknown): Promise<BatchResult[]> {
  const list = checkArray<BatchWriteRecord>(records, 'records')
  const w = new Writer(64 + list.length * 64)
  writeBatchPolicy(w, client._policy('batchParentWrite', policy))
  w.u32(list.length)
  const keys = eachRecord(list, (rec, k, where) => {
    switch (rec.type) {
      case batchType.BATCH_WRITE:
        w.u8(ROW.OPERATE)
        writeKey(w, k)
        writeWritePolicy(w, { ...client._policies.write, ...rec.policy }, rec.meta)
        writeOps(w, rec.ops)
        break
      case batchType.BATCH_REMOVE:
        w.u8(ROW.REMOVE)
        writeKey(w, k)
        writeWritePolicy(w, { ...client._policies.remove, ...rec.policy })
        break
      case batchType.BATCH_READ:
        writeReadRecord(w, rec, k, where)
        break
      case batchType.BATCH_APPLY:
        w.u8(ROW.APPLY)
        writeKey(w, k)
        writeWritePolicy(w, { ...client._policies.write, ...rec.policy }, rec.meta)
        writeUdf(w, rec.udf, `${where}.udf`)
        break
      default:
        throw new TypeError(`${where}.type must be a batchType constant`)
    }
  })
  return run(client, keys, w)
}

/** Runs a UDF on many records. */
export async function batchApply(client: Client, keys: Array<Key | KeyOptions>, udf: UDF, policy: unknown, applyPolicy: unknown): Promise<BatchResult[]> {
  const ap = applyPolicy && typeof applyPolicy === 'object' ? { ...client._policies.write, ...applyPolicy } : client._policies.write
  return keyRows(client, keys, policy, 64, (w, k) => {
    w.u8(ROW.APPLY)
    writeKey(w, k)
    writeWritePolicy(w, ap)
    writeUdf(w, udf)
  })
}

/** Removes many records. */
export async function batchRemove(client: Client, keys: Array<Key | KeyOptions>, policy: unknown, removePolicy: unknown): Promise<BatchResult[]> {
  const rp = removePolicy && typeof removePolicy === 'object' ? { ...client._policies.remove, ...removePolicy } : client._policies.remove
  const rows = await keyRows(client, keys, policy, 48, (w, k) => {
    w.u8(ROW.REMOVE)
    writeKey(w, k)
    writeWritePolicy(w, rp)
  })
  // As the official client: a record that failed other than by not existing or being filtered
  // out fails the call.
  const fine = [status.OK, status.ERR_RECORD_NOT_FOUND, status.FILTERED_OUT] as number[]
  if (rows.some((r) => !fine.includes(r.status))) {
    throw new AerospikeError('One or more batch sub-commands failed', status.BATCH_FAILED)
  }
  return rows
}

/** @internal exported for tests of the codec. */
export const _writeValue = writeValue
