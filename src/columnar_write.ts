/**
 * Columnar batch writes: `batchWriteColumns(keys, { bin: column, … })` writes one record per
 * key from one array per bin, with no JavaScript object per record. Typed arrays travel as
 * their bytes; string and blob arrays are packed here into one offsets array and one data buffer
 * (the layout of the columnar reads), so Rust builds each row's bins straight from them.
 * @module
 */
import { Writer } from './codec'
import type { Client } from './client'
import { checkArray } from './batch'
import { BytesColumn, StringColumn } from './column_vectors'
import { asKey, Key, writeKey, type KeyOptions } from './key'
import { writeBatchPolicy, writeWritePolicy } from './policy'

/**
 * One bin's values, one per key: a typed array (every row written), an array of strings,
 * blobs or booleans (`null` / `undefined` leaves the bin out of that row), a string or bytes
 * column of a columnar read (its invalid rows left out), or `{ values, valid }` to leave out
 * the rows where `valid[i]` is 0.
 */
export type WriteColumn =
  | Float64Array
  | BigInt64Array
  | Int32Array
  | Array<string | null | undefined>
  | Array<Uint8Array | null | undefined>
  | Array<boolean | null | undefined>
  | StringColumn
  | BytesColumn
  | { values: Float64Array | BigInt64Array | Int32Array; valid: Uint8Array }

const KIND = { f64: 1, i64: 2, i32: 3, bool: 4, str: 5, bytes: 6 } as const

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
}

/** Packs an array of strings or blobs into offsets and data, and the mask of rows that have one. */
function pack(values: unknown[], bin: string, kind: 'str' | 'bytes'): { offsets: Int32Array; data: Uint8Array; mask: Uint8Array } {
  const n = values.length
  const offsets = new Int32Array(n + 1)
  const mask = new Uint8Array(n)
  let total = 0
  for (let i = 0; i < n; i++) {
    const v = values[i]
    if (v === null || v === undefined) continue
    if (kind === 'str' ? typeof v !== 'string' : !(v instanceof Uint8Array)) throw new TypeError(`column "${bin}": row ${i} is not ${kind === 'str' ? 'a string' : 'a Buffer or Uint8Array'}`)
    total += kind === 'str' ? Buffer.byteLength(v as string) : (v as Uint8Array).length
    if (total > 0x7fffffff) throw new TypeError(`column "${bin}": more than 2^31-1 bytes in all`)
  }
  const data = Buffer.allocUnsafe(total)
  let at = 0
  for (let i = 0; i < n; i++) {
    const v = values[i]
    if (v !== null && v !== undefined) {
      mask[i] = 1
      if (typeof v === 'string') at += data.write(v, at, 'utf8')
      else {
        data.set(v as Uint8Array, at)
        at += (v as Uint8Array).length
      }
    }
    offsets[i + 1] = at
  }
  return { offsets, data, mask }
}

/** Writes one column: bin name, kind, mask and data. */
function writeColumn(w: Writer, bin: string, col: unknown, n: number): void {
  if (Buffer.byteLength(bin) > 15 || bin.length === 0) throw new TypeError(`column "${bin}": not a valid bin name`)
  let values = col
  let mask: Uint8Array | null = null
  if (col instanceof StringColumn || col instanceof BytesColumn) {
    if (col.length !== n) throw new TypeError(`column "${bin}": ${col.length} rows for ${n} keys`)
    w.str(bin)
    w.u8(col instanceof StringColumn ? KIND.str : KIND.bytes)
    w.u8(1)
    w.bytes(col.valid)
    w.bytes(bytesOf(col.offsets))
    w.bytes(col.data)
    return
  }
  if (col !== null && typeof col === 'object' && !ArrayBuffer.isView(col) && !Array.isArray(col)) {
    const { values: v, valid } = col as { values?: unknown; valid?: unknown }
    if (!(valid instanceof Uint8Array) || valid.length !== n) throw new TypeError(`column "${bin}": valid must be a Uint8Array of one entry per key`)
    values = v
    mask = valid
  }
  let kind: number
  let data: Uint8Array
  if (values instanceof Float64Array) [kind, data] = [KIND.f64, bytesOf(values)]
  else if (values instanceof BigInt64Array) [kind, data] = [KIND.i64, bytesOf(values)]
  else if (values instanceof Int32Array) [kind, data] = [KIND.i32, bytesOf(values)]
  else if (Array.isArray(values) && mask === null) {
    if (values.length !== n) throw new TypeError(`column "${bin}": ${values.length} rows for ${n} keys`)
    const first = values.find((v) => v !== null && v !== undefined)
    if (typeof first === 'boolean' || first === undefined) {
      const bools = new Uint8Array(n)
      mask = new Uint8Array(n)
      for (let i = 0; i < n; i++) {
        const v = values[i]
        if (v === null || v === undefined) continue
        if (typeof v !== 'boolean') throw new TypeError(`column "${bin}": row ${i} is not a boolean`)
        bools[i] = v ? 1 : 0
        mask[i] = 1
      }
      ;[kind, data] = [KIND.bool, bools]
    } else {
      const p = pack(values, bin, typeof first === 'string' ? 'str' : 'bytes')
      w.str(bin)
      w.u8(typeof first === 'string' ? KIND.str : KIND.bytes)
      w.u8(1)
      w.bytes(p.mask)
      w.bytes(bytesOf(p.offsets))
      w.bytes(p.data)
      return
    }
  } else throw new TypeError(`column "${bin}": must be a Float64Array, BigInt64Array, Int32Array, an array of strings, blobs or booleans, a string/bytes column, or { values, valid }`)
  if (data.length / (kind === KIND.bool ? 1 : kind === KIND.i32 ? 4 : 8) !== n) throw new TypeError(`column "${bin}": ${data.length / (kind === KIND.bool ? 1 : kind === KIND.i32 ? 4 : 8)} rows for ${n} keys`)
  w.str(bin)
  w.u8(kind)
  w.u8(mask ? 1 : 0)
  if (mask) w.bytes(mask)
  w.bytes(data)
}

/** Writes one record per key from the columns; resolves with one result code per row. */
export async function batchWriteColumns(client: Client, keys: Array<Key | KeyOptions>, columns: Record<string, WriteColumn>, policy: unknown, writePolicy: unknown): Promise<Int32Array> {
  checkArray(keys, 'keys')
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) throw new TypeError('columns must be an object of bin name → values')
  const bins = Object.keys(columns)
  if (bins.length === 0) throw new TypeError('columns must name at least one bin')
  const w = new Writer(64 + keys.length * 48)
  writeBatchPolicy(w, client._policy('batch', policy))
  writeWritePolicy(w, client._policy('write', writePolicy))
  w.u32(keys.length)
  for (let i = 0; i < keys.length; i++) writeKey(w, keys[i] instanceof Key ? (keys[i] as Key) : asKey(keys[i], `keys[${i}]`))
  w.u32(bins.length)
  for (const bin of bins) writeColumn(w, bin, columns[bin], keys.length)
  const req = w.finish()
  return client._call((n) => n.batchWriteColumns(req))
}
