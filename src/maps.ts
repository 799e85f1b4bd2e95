/**
 * Map operations for {@link Client.operate}, with the official client's names, signatures and
 * constants (`maps.put`, `maps.getByKeyRange`, `maps.returnType.KEY_VALUE`, …). Selections are
 * inverted with `returnType.INVERTED`; `withContext()` works on a map nested inside a list or map.
 *
 * Results follow the official client: maps come back as plain objects, `KEY_VALUE` selections as
 * flat `[key, value, key, value, …]` arrays.
 * @module
 */
import type { CdtContext } from './cdt_context'
import {
  type ArgEncoder,
  CdtOperation,
  type OpTable,
  writeOpHead,
  INVERTED,
  KIND,
  addSelections,
  checkPolicy,
  flagBits,
  oneOf,
  returnTypeBits,
  toContext,
  POSITION_ARGS,
  seq,
  writeContext,
} from './cdt_operation'
import { writeValue, type Writer } from './codec'
import { describe, isMapKey } from './value'
import { MAP_RETURNS, RETURN } from './cdt_opcodes'
import { opcodes as M } from './map_opcodes'

/** Map order. */
export const order = Object.freeze({ UNORDERED: 0, KEY_ORDERED: 1, KEY_VALUE_ORDERED: 3 })
/** The values of `order`, as a type (the official client declares `order` as an enum). */
export type order = (typeof order)[keyof typeof order]
/** Legacy write modes of a {@link MapPolicy} (use {@link writeFlags}). */
export const writeMode = Object.freeze({ UPDATE: 0, UPDATE_ONLY: 1, CREATE_ONLY: 2 })
/** The values of `writeMode`, as a type (the official client declares `writeMode` as an enum). */
export type writeMode = (typeof writeMode)[keyof typeof writeMode]
/** Write flags of a {@link MapPolicy}; combine with `|`. */
export const writeFlags = Object.freeze({ DEFAULT: 0, CREATE_ONLY: 1, UPDATE_ONLY: 2, NO_FAIL: 4, PARTIAL: 8 })
/** The values of `writeFlags`, as a type (the official client declares `writeFlags` as an enum). */
export type writeFlags = (typeof writeFlags)[keyof typeof writeFlags]

/** The op codes of map operations on the wire. */
export { opcodes } from './map_opcodes'
/** What `getBy*` / `removeBy*` operations return; `INVERTED` may be OR'd into any of them. */
export const returnType = Object.freeze({ ...RETURN, INVERTED })
/** The values of `returnType`, as a type (the official client declares `returnType` as an enum). */
export type returnType = (typeof returnType)[keyof typeof returnType]


/** Order and write behavior for map writes (the order applies when the map is created). */
export class MapPolicy {
  order?: number
  writeMode?: number
  writeFlags?: number
  constructor(props: { order?: number; writeMode?: number; writeFlags?: number } = {}) {
    this.order = props.order
    this.writeMode = props.writeMode
    this.writeFlags = props.writeFlags
  }
}

/** A map key: a string, an integer (number or bigint) or bytes. */
export type MapKey = string | number | bigint | Buffer | Uint8Array

/** A map operation. */
export class MapOperation extends CdtOperation {
  context?: CdtContext
  returnType?: number
  key?: unknown
  keys?: unknown[]
  value?: unknown
  values?: unknown[]
  items?: unknown
  incr?: unknown
  decr?: unknown
  begin?: unknown
  end?: unknown
  index?: number | bigint
  count?: number | bigint
  rank?: number | bigint
  policy?: MapPolicy | { order?: number; writeMode?: number; writeFlags?: number }
  order?: number
  persistIndex?: boolean

  constructor(op: string, bin: string, props?: Partial<MapOperation>) {
    super(`maps.${op}`, bin)
    if (props) Object.assign(this, props)
  }

  /** Sets what a `getBy*` / `removeBy*` operation returns (one of `maps.returnType`). */
  andReturn(returnType: number): this {
    this.returnType = returnType
    return this
  }

  /** Runs the operation on a nested map: a `cdt.Context`, or a function that fills a new one. */
  withContext(contextOrFunction: CdtContext | ((ctx: CdtContext) => void)): this {
    this.context = toContext(contextOrFunction)
    return this
  }

  /** @internal */
  _kind(): number {
    return KIND.MAP
  }

  /** @internal Wire code, bin, context, arguments. */
  _encode(w: Writer, where: string): void {
    const args = writeOpHead(this, OPS, 'map', w, where)
    writeContext(w, this.context, where)
    args(w, this, where)
  }
}

type Encoder = ArgEncoder<MapOperation>

/** Legacy write mode → write flags (UPDATE_ONLY and CREATE_ONLY swap numbers). */
const MODE_FLAGS = [0, 2, 1]

/** `u8 order, u8 write flags` (the defaults when there is no policy). */
function writePolicy(w: Writer, o: MapOperation, where: string): void {
  const p = checkPolicy(o.policy, where)
  w.u8(oneOf(p?.order, [0, 1, 3], 0, 'map order', where))
  let flags = 0
  if (p && p.writeFlags !== undefined && p.writeFlags !== null) flags = flagBits(p.writeFlags, 15, 'map write flags', where)
  else if (p) flags = MODE_FLAGS[oneOf(p.writeMode, [0, 1, 2], 0, 'map write mode', where)]
  w.u8(flags)
}

function writeKey(w: Writer, k: unknown, name: string, where: string): void {
  if (!isMapKey(k)) throw new TypeError(`${where}: ${name} must be a string, an integer or a Buffer, got ${describe(k)}`)
  writeValue(w, k, `${where} ${name}`)
}

const rt: Encoder = (w, o, x) => w.int(returnTypeBits(o.returnType, MAP_RETURNS, x))
const key: Encoder = (w, o, x) => writeKey(w, o.key, 'key', x)
const { index, rank, count, value, values } = POSITION_ARGS
const keys: Encoder = (w, o, x) => {
  if (!Array.isArray(o.keys)) throw new TypeError(`${x}: keys must be an array, got ${describe(o.keys)}`)
  o.keys.forEach((k, i) => {
    if (!isMapKey(k)) throw new TypeError(`${x}: keys[${i}] must be a string, an integer or a Buffer, got ${describe(k)}`)
  })
  writeValue(w, o.keys, `${x} keys`)
}
const keyRange: Encoder = (w, o, x) => {
  for (const [name, k] of [
    ['begin', o.begin],
    ['end', o.end],
  ] as const) {
    if (k === undefined || k === null) writeValue(w, null, x)
    else writeKey(w, k, name, x)
  }
}
const valueRange: Encoder = (w, o, x) => {
  writeValue(w, o.begin === undefined ? null : o.begin, `${x} begin`)
  writeValue(w, o.end === undefined ? null : o.end, `${x} end`)
}
const number =
  (field: 'incr' | 'decr'): Encoder =>
  (w, o, x) => {
    const v = o[field]
    if (v === undefined || v === null) writeValue(w, null, x)
    else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint') writeValue(w, v, `${x} ${field}`)
    else throw new TypeError(`${x}: ${field} must be a number, got ${describe(v)}`)
  }
const items: Encoder = (w, o, x) => {
  const v = o.items
  const plain = v !== null && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))
  if (!(v instanceof Map) && !plain) throw new TypeError(`${x}: items must be an object or a Map, got ${describe(v)}`)
  if (v instanceof Map) {
    for (const k of v.keys()) if (!isMapKey(k)) throw new TypeError(`${x}: items key ${describe(k)} must be a string, an integer or a Buffer`)
  }
  writeValue(w, v, `${x} items`)
}
const none: Encoder = () => {}

/** Operation name → (wire op code, argument encoder). */
const OPS: OpTable<MapOperation> = {
  // SET_TYPE: `u8 0, policy` sets the policy, `u8 1, u8 order, u8 persist` creates.
  'maps.setPolicy': [
    M.SET_TYPE,
    (w, o, x) => {
      if (o.policy === undefined || o.policy === null) throw new TypeError(`${x}: policy is required`)
      w.u8(0)
      writePolicy(w, o, x)
    },
  ],
  'maps.put': [M.PUT, seq(key, value, writePolicy)],
  'maps.putItems': [M.PUT_ITEMS, seq(items, writePolicy)],
  'maps.increment': [M.INCREMENT, seq(key, number('incr'), writePolicy)],
  'maps.decrement': [M.DECREMENT, seq(key, number('decr'), writePolicy)],
  'maps.clear': [M.CLEAR, none],
  'maps.size': [M.SIZE, none],
  'maps.create': [
    M.SET_TYPE,
    (w, o, x) => {
      w.u8(1)
      w.u8(oneOf(o.order, [0, 1, 3], 0, 'map order', x))
      w.u8(o.persistIndex ? 1 : 0)
    },
  ],
}

/** The selections (see {@link addSelections}). */
const SELECTIONS: Array<[string, number, number, Encoder]> = [
  ['ByKey', M.GET_BY_KEY, M.REMOVE_BY_KEY, key],
  ['ByKeyList', M.GET_BY_KEY_LIST, M.REMOVE_BY_KEY_LIST, keys],
  ['ByKeyRange', M.GET_BY_KEY_INTERVAL, M.REMOVE_BY_KEY_INTERVAL, keyRange],
  ['ByKeyRelIndexRange', M.GET_BY_KEY_REL_INDEX_RANGE, M.REMOVE_BY_KEY_REL_INDEX_RANGE, seq(key, index, count)],
  ['ByValue', M.GET_ALL_BY_VALUE, M.REMOVE_ALL_BY_VALUE, value],
  ['ByValueList', M.GET_BY_VALUE_LIST, M.REMOVE_BY_VALUE_LIST, values],
  ['ByValueRange', M.GET_BY_VALUE_INTERVAL, M.REMOVE_BY_VALUE_INTERVAL, valueRange],
  ['ByValueRelRankRange', M.GET_BY_VALUE_REL_RANK_RANGE, M.REMOVE_BY_VALUE_REL_RANK_RANGE, seq(value, rank, count)],
  ['ByIndex', M.GET_BY_INDEX, M.REMOVE_BY_INDEX, index],
  ['ByIndexRange', M.GET_BY_INDEX_RANGE, M.REMOVE_BY_INDEX_RANGE, seq(index, count)],
  ['ByRank', M.GET_BY_RANK, M.REMOVE_BY_RANK, rank],
  ['ByRankRange', M.GET_BY_RANK_RANGE, M.REMOVE_BY_RANK_RANGE, seq(rank, count)],
]
addSelections(OPS, 'maps', SELECTIONS, rt)

/** Sets the map's order (and write behavior for later writes). Returns nothing. */
export function setPolicy(bin: string, policy: MapPolicy): MapOperation {
  return new MapOperation('setPolicy', bin, { policy })
}
/** Creates a map (at the context's position with `ctx`) or sets a top-level map's order. */
export function create(bin: string, order?: number, persistIndex = false, ctx?: CdtContext): MapOperation {
  const op = new MapOperation('create', bin, { order, persistIndex })
  return ctx === undefined ? op : op.withContext(ctx)
}
/** Writes one entry (creating the map). Returns the map's size. */
export function put(bin: string, key: MapKey, value: unknown, policy?: MapPolicy): MapOperation {
  return new MapOperation('put', bin, { key, value, policy })
}
/** Writes the entries of an object or `Map`. Returns the map's size. */
export function putItems(bin: string, items: Record<string, unknown> | Map<unknown, unknown>, policy?: MapPolicy): MapOperation {
  return new MapOperation('putItems', bin, { items, policy })
}
/** Adds `incr` to the number under `key` (creating it). Returns the new value. */
export function increment(bin: string, key: MapKey, incr?: number | bigint, policy?: MapPolicy): MapOperation {
  return new MapOperation('increment', bin, { key, incr, policy })
}
/** Subtracts `decr` from the number under `key` (creating it). Returns the new value. */
export function decrement(bin: string, key: MapKey, decr?: number | bigint, policy?: MapPolicy): MapOperation {
  return new MapOperation('decrement', bin, { key, decr, policy })
}
/** Removes every entry. Returns nothing. */
export function clear(bin: string): MapOperation {
  return new MapOperation('clear', bin)
}
/** Removes the entry with `key`. */
export function removeByKey(bin: string, key: MapKey, returnType?: number): MapOperation {
  return new MapOperation('removeByKey', bin, { key, returnType })
}
/** Removes the entries with one of `keys`. */
export function removeByKeyList(bin: string, keys: MapKey[], returnType?: number): MapOperation {
  return new MapOperation('removeByKeyList', bin, { keys, returnType })
}
/** Removes the entries with keys in `[begin, end)` (a `null` bound is open). */
export function removeByKeyRange(bin: string, begin: MapKey | null, end: MapKey | null, returnType?: number): MapOperation {
  return new MapOperation('removeByKeyRange', bin, { begin, end, returnType })
}
/** Removes the entries from key index `index` relative to `key` (`count` of them, or all). */
export function removeByKeyRelIndexRange(bin: string, key: MapKey, index: number, count?: number, returnType?: number): MapOperation {
  return new MapOperation('removeByKeyRelIndexRange', bin, { key, index, count, returnType })
}
/** Removes the entries whose value equals `value`. */
export function removeByValue(bin: string, value: unknown, returnType?: number): MapOperation {
  return new MapOperation('removeByValue', bin, { value, returnType })
}
/** Removes the entries whose value equals one of `values`. */
export function removeByValueList(bin: string, values: unknown[], returnType?: number): MapOperation {
  return new MapOperation('removeByValueList', bin, { values, returnType })
}
/** Removes the entries with values in `[begin, end)` (a `null` bound is open). */
export function removeByValueRange(bin: string, begin: unknown, end: unknown, returnType?: number): MapOperation {
  return new MapOperation('removeByValueRange', bin, { begin, end, returnType })
}
/** Removes the entries from rank `rank` relative to `value` (`count` of them, or all). */
export function removeByValueRelRankRange(bin: string, value: unknown, rank: number, count?: number, returnType?: number): MapOperation {
  return new MapOperation('removeByValueRelRankRange', bin, { value, rank, count, returnType })
}
/** Removes the entry at key index `index`. */
export function removeByIndex(bin: string, index: number, returnType?: number): MapOperation {
  return new MapOperation('removeByIndex', bin, { index, returnType })
}
/** Removes `count` entries from key index `index` (to the end without `count`). */
export function removeByIndexRange(bin: string, index: number, count?: number | null, returnType?: number): MapOperation {
  return new MapOperation('removeByIndexRange', bin, { index, count: count ?? undefined, returnType })
}
/** Removes the entry of value rank `rank`. */
export function removeByRank(bin: string, rank: number, returnType?: number): MapOperation {
  return new MapOperation('removeByRank', bin, { rank, returnType })
}
/** Removes `count` entries from rank `rank` (to the largest without `count`). */
export function removeByRankRange(bin: string, rank: number, count?: number | null, returnType?: number): MapOperation {
  return new MapOperation('removeByRankRange', bin, { rank, count: count ?? undefined, returnType })
}
/** Returns the number of entries. */
export function size(bin: string): MapOperation {
  return new MapOperation('size', bin)
}
/** Selects the entry with `key`. */
export function getByKey(bin: string, key: MapKey, returnType?: number): MapOperation {
  return new MapOperation('getByKey', bin, { key, returnType })
}
/** Selects the entries with one of `keys`. */
export function getByKeyList(bin: string, keys: MapKey[], returnType?: number): MapOperation {
  return new MapOperation('getByKeyList', bin, { keys, returnType })
}
/** Selects the entries with keys in `[begin, end)` (a `null` bound is open). */
export function getByKeyRange(bin: string, begin: MapKey | null, end: MapKey | null, returnType?: number): MapOperation {
  return new MapOperation('getByKeyRange', bin, { begin, end, returnType })
}
/** Selects the entries from key index `index` relative to `key` (`count` of them, or all). */
export function getByKeyRelIndexRange(bin: string, key: MapKey, index: number, count?: number, returnType?: number): MapOperation {
  return new MapOperation('getByKeyRelIndexRange', bin, { key, index, count, returnType })
}
/** Selects the entries whose value equals `value`. */
export function getByValue(bin: string, value: unknown, returnType?: number): MapOperation {
  return new MapOperation('getByValue', bin, { value, returnType })
}
/** Selects the entries whose value equals one of `values`. */
export function getByValueList(bin: string, values: unknown[], returnType?: number): MapOperation {
  return new MapOperation('getByValueList', bin, { values, returnType })
}
/** Selects the entries with values in `[begin, end)` (a `null` bound is open). */
export function getByValueRange(bin: string, begin: unknown, end: unknown, returnType?: number): MapOperation {
  return new MapOperation('getByValueRange', bin, { begin, end, returnType })
}
/** Selects the entries from rank `rank` relative to `value` (`count` of them, or all). */
export function getByValueRelRankRange(bin: string, value: unknown, rank: number, count?: number, returnType?: number): MapOperation {
  return new MapOperation('getByValueRelRankRange', bin, { value, rank, count, returnType })
}
/** Selects the entry at key index `index`. */
export function getByIndex(bin: string, index: number, returnType?: number): MapOperation {
  return new MapOperation('getByIndex', bin, { index, returnType })
}
/** Selects `count` entries from key index `index` (to the end without `count`). */
export function getByIndexRange(bin: string, index: number, count?: number | null, returnType?: number): MapOperation {
  return new MapOperation('getByIndexRange', bin, { index, count: count ?? undefined, returnType })
}
/** Selects the entry of value rank `rank`. */
export function getByRank(bin: string, rank: number, returnType?: number): MapOperation {
  return new MapOperation('getByRank', bin, { rank, returnType })
}
/** Selects `count` entries from rank `rank` (to the largest without `count`). */
export function getByRankRange(bin: string, rank: number, count?: number | null, returnType?: number): MapOperation {
  return new MapOperation('getByRankRange', bin, { rank, count: count ?? undefined, returnType })
}
