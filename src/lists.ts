/**
 * List operations for {@link Client.operate}, with the official client's names, signatures and
 * constants (`lists.append`, `lists.getByValue(...).invertSelection()`, `lists.returnType`, …).
 * Use `withContext()` to work on a list nested inside a list or map.
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
  writeArray,
  writeBound,
  writeContext,
  writeInt,
  writeOptInt,
} from './cdt_operation'
import { LIST_OP as L, LIST_RETURNS, RETURN } from './cdt_opcodes'
import type { Writer } from './codec'
import { describe } from './value'
import { AerospikeError } from './errors'
import { status } from './status'

/** List order. */
export const order = Object.freeze({ UNORDERED: 0, ORDERED: 1 })
/** The values of `order`, as a type (the official client declares `order` as an enum). */
export type order = (typeof order)[keyof typeof order]
/** Sort flags for {@link sort}. */
export const sortFlags = Object.freeze({ DEFAULT: 0, DESCENDING: 1, DROP_DUPLICATES: 2 })
/** The values of `sortFlags`, as a type (the official client declares `sortFlags` as an enum). */
export type sortFlags = (typeof sortFlags)[keyof typeof sortFlags]
/** Write flags of a {@link ListPolicy}; combine with `|`. */
export const writeFlags = Object.freeze({ DEFAULT: 0, ADD_UNIQUE: 1, INSERT_BOUNDED: 2, NO_FAIL: 4, PARTIAL: 8 })
/** The values of `writeFlags`, as a type (the official client declares `writeFlags` as an enum). */
export type writeFlags = (typeof writeFlags)[keyof typeof writeFlags]
const { NONE, INDEX, REVERSE_INDEX, RANK, REVERSE_RANK, COUNT, VALUE, EXISTS } = RETURN
/** What `getBy*` / `removeBy*` operations return; `INVERTED` may be OR'd into any of them. */
export const returnType = Object.freeze({ NONE, INDEX, REVERSE_INDEX, RANK, REVERSE_RANK, COUNT, VALUE, EXISTS, INVERTED })
/** The values of `returnType`, as a type (the official client declares `returnType` as an enum). */
export type returnType = (typeof returnType)[keyof typeof returnType]


/** Order and write flags for list writes (the order applies when the list is created). */
export class ListPolicy {
  order?: number
  writeFlags?: number
  constructor(props: { order?: number; writeFlags?: number } = {}) {
    this.order = props.order
    this.writeFlags = props.writeFlags
  }
}

/** A list operation. */
export class ListOperation extends CdtOperation {
  context?: CdtContext
  returnType?: number
  index?: number | bigint
  count?: number | bigint
  rank?: number | bigint
  value?: unknown
  list?: unknown[]
  values?: unknown[]
  begin?: unknown
  end?: unknown
  policy?: ListPolicy | { order?: number; writeFlags?: number }
  order?: number
  flags?: number
  pad?: boolean
  persistIndex?: boolean

  constructor(op: string, bin: string, props?: Partial<ListOperation>) {
    super(`lists.${op}`, bin)
    if (props) Object.assign(this, props)
  }

  /** Runs the operation on a nested list: a `cdt.Context`, or a function that fills a new one. */
  withContext(contextOrFunction: CdtContext | ((ctx: CdtContext) => void)): this {
    this.context = toContext(contextOrFunction)
    return this
  }

  /** Sets what a `getBy*` / `removeBy*` operation returns (one of `lists.returnType`). */
  andReturn(returnType: number): this {
    this.returnType = returnType
    return this
  }

  /** Only range and value selections can be inverted; this one cannot (`AerospikeError`, as in the official client). */
  invertSelection(): this {
    throw new AerospikeError('List operation cannot be inverted', status.ERR_CLIENT)
  }

  /** @internal */
  _kind(): number {
    return KIND.LIST
  }

  /** @internal Wire code, bin, context, arguments. */
  _encode(w: Writer, where: string): void {
    const args = writeOpHead(this, OPS, 'list', w, where)
    writeContext(w, this.context, where)
    args(w, this, where)
  }
}

/** A list operation whose selection can be inverted (everything but the selected items). */
export class InvertibleListOp extends ListOperation {
  inverted = false

  /** Selects every item except the ones the operation names. */
  invertSelection(): this {
    this.inverted = true
    return this
  }
}

type Encoder = ArgEncoder<ListOperation>

const rt = (w: Writer, o: ListOperation, where: string) =>
  w.int(returnTypeBits(o.returnType, LIST_RETURNS, where, o instanceof InvertibleListOp && o.inverted))

function policyOf(o: ListOperation, where: string): { order: number; flags: number } | undefined {
  const p = checkPolicy(o.policy, where)
  if (!p) return undefined
  return {
    order: oneOf(p.order, [0, 1], 0, 'list order', where),
    flags: flagBits(p.writeFlags, 15, 'list write flags', where),
  }
}

/** `u8 0`, or `u8 1, u8 order, u8 write flags`. */
function writePolicy(w: Writer, o: ListOperation, where: string): void {
  const p = policyOf(o, where)
  if (!p) {
    w.u8(0)
    return
  }
  w.u8(1)
  w.u8(p.order)
  w.u8(p.flags)
}

const { index, rank, count, value, values } = POSITION_ARGS
const valueRange: Encoder = seq(
  (w, o, x) => writeBound(w, o.begin, 'begin', x),
  (w, o, x) => writeBound(w, o.end, 'end', x),
)

/** Operation name → (wire op code, argument encoder). */
const OPS: OpTable<ListOperation> = {
  // SET_TYPE: `u8 0, u8 order` sets the order, `u8 1, u8 order, u8 pad, u8 persist` creates.
  'lists.setOrder': [
    L.SET_TYPE,
    (w, o, x) => {
      if (o.order === undefined || o.order === null) missing('order', x)
      w.u8(0)
      w.u8(oneOf(o.order, [0, 1], 0, 'list order', x))
    },
  ],
  'lists.sort': [L.SORT, (w, o, x) => w.u8(flagBits(o.flags, 3, 'sort flags', x))],
  'lists.append': [L.APPEND, seq(value, writePolicy)],
  'lists.appendItems': [L.APPEND_ITEMS, seq((w, o, x) => writeArray(w, o.list, 'list', x), writePolicy)],
  'lists.insert': [L.INSERT, seq(index, value, writePolicy)],
  'lists.insertItems': [L.INSERT_ITEMS, seq(index, (w, o, x) => writeArray(w, o.list, 'list', x), writePolicy)],
  'lists.pop': [L.POP, index],
  'lists.popRange': [L.POP_RANGE, seq(index, count)],
  'lists.remove': [L.REMOVE, index],
  'lists.removeRange': [L.REMOVE_RANGE, seq(index, count)],
  'lists.clear': [L.CLEAR, () => {}],
  'lists.create': [
    L.SET_TYPE,
    (w, o, x) => {
      w.u8(1)
      w.u8(oneOf(o.order, [0, 1], 0, 'list order', x))
      w.u8(o.pad ? 1 : 0)
      w.u8(o.persistIndex ? 1 : 0)
    },
  ],
  'lists.set': [
    L.SET,
    (w, o, x) => {
      index(w, o, x)
      if (o.value === null) throw new TypeError(`${x}: lists.set cannot store null (remove the item instead)`)
      value(w, o, x)
      writePolicy(w, o, x)
    },
  ],
  'lists.trim': [L.TRIM, seq(index, (w, o, x) => writeInt(w, o.count, 'count', x))],
  'lists.get': [L.GET, index],
  'lists.getRange': [L.GET_RANGE, seq(index, count)],
  'lists.increment': [L.INCREMENT, encodeIncrement],
  'lists.size': [L.SIZE, () => {}],
}

/** The selections (see {@link addSelections}). */
const SELECTIONS: Array<[string, number, number, Encoder]> = [
  ['ByIndex', L.GET_BY_INDEX, L.REMOVE_BY_INDEX, index],
  ['ByIndexRange', L.GET_BY_INDEX_RANGE, L.REMOVE_BY_INDEX_RANGE, seq(index, count)],
  ['ByValue', L.GET_ALL_BY_VALUE, L.REMOVE_ALL_BY_VALUE, value],
  ['ByValueList', L.GET_BY_VALUE_LIST, L.REMOVE_BY_VALUE_LIST, values],
  ['ByValueRange', L.GET_BY_VALUE_INTERVAL, L.REMOVE_BY_VALUE_INTERVAL, valueRange],
  ['ByValueRelRankRange', L.GET_BY_VALUE_REL_RANK_RANGE, L.REMOVE_BY_VALUE_REL_RANK_RANGE, seq(value, rank, count)],
  ['ByRank', L.GET_BY_RANK, L.REMOVE_BY_RANK, rank],
  ['ByRankRange', L.GET_BY_RANK_RANGE, L.REMOVE_BY_RANK_RANGE, seq(rank, count)],
]
addSelections(OPS, 'lists', SELECTIONS, rt)

function missing(name: string, where: string): never {
  throw new TypeError(`${where}: ${name} is required`)
}

/**
 * `index, optional delta, policy`. The `aerospike` crate sends list increments as integers only,
 * and with a policy it can carry both the order and the write flags only for a delta of 1.
 */
function encodeIncrement(w: Writer, o: ListOperation, where: string): void {
  index(w, o, where)
  const v = o.value
  if (v !== undefined && v !== null && !(typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v)))) {
    throw new TypeError(`${where}: lists.increment needs an integer value (float increments are not supported by this client), got ${describe(v)}`)
  }
  const p = policyOf(o, where)
  const one = v === undefined || v === null || v === 1 || v === 1n
  if (p && p.flags !== 0 && !one) {
    throw new TypeError(`${where}: lists.increment with list write flags supports only an increment of 1 in this client`)
  }
  writeOptInt(w, v, 'value', where)
  writePolicy(w, o, where)
}

/** Sets the list order (`order.ORDERED` sorts it and keeps it sorted). Returns nothing. */
export function setOrder(bin: string, order: number): ListOperation {
  return new ListOperation('setOrder', bin, { order })
}
/** Sorts the list ({@link sortFlags}). Returns nothing. */
export function sort(bin: string, flags: number): ListOperation {
  return new ListOperation('sort', bin, { flags })
}
/** Appends a value (creating the list). Returns the new size. */
export function append(bin: string, value: unknown, policy?: ListPolicy): ListOperation {
  return new ListOperation('append', bin, { value, policy })
}
/** Appends the items of an array. Returns the new size. */
export function appendItems(bin: string, list: unknown[], policy?: ListPolicy): ListOperation {
  return new ListOperation('appendItems', bin, { list, policy })
}
/** Inserts a value at `index`. Returns the new size. */
export function insert(bin: string, index: number, value: unknown, policy?: ListPolicy): ListOperation {
  return new ListOperation('insert', bin, { index, value, policy })
}
/** Inserts the items of an array at `index`. Returns the new size. */
export function insertItems(bin: string, index: number, list: unknown[], policy?: ListPolicy): ListOperation {
  return new ListOperation('insertItems', bin, { index, list, policy })
}
/** Removes and returns the item at `index`. */
export function pop(bin: string, index: number): ListOperation {
  return new ListOperation('pop', bin, { index })
}
/** Removes and returns `count` items from `index` (to the end without `count`). */
export function popRange(bin: string, index: number, count?: number): ListOperation {
  return new ListOperation('popRange', bin, { index, count })
}
/** Removes the item at `index`. Returns the number removed. */
export function remove(bin: string, index: number): ListOperation {
  return new ListOperation('remove', bin, { index })
}
/** Removes `count` items from `index` (to the end without `count`). Returns the number removed. */
export function removeRange(bin: string, index: number, count?: number): ListOperation {
  return new ListOperation('removeRange', bin, { index, count })
}
/** Removes the item at `index`; returns what `returnType` asks for (nothing by default). */
export function removeByIndex(bin: string, index: number, returnType?: number): ListOperation {
  return new ListOperation('removeByIndex', bin, { index, returnType })
}
/** Removes `count` items from `index` (to the end without `count`). */
export function removeByIndexRange(bin: string, index: number, count?: number, returnType?: number): InvertibleListOp {
  return new InvertibleListOp('removeByIndexRange', bin, { index, count, returnType })
}
/** Removes every item equal to `value`. */
export function removeByValue(bin: string, value: unknown, returnType?: number): InvertibleListOp {
  return new InvertibleListOp('removeByValue', bin, { value, returnType })
}
/** Removes every item equal to one of `values`. */
export function removeByValueList(bin: string, values: unknown[], returnType?: number): InvertibleListOp {
  return new InvertibleListOp('removeByValueList', bin, { values, returnType })
}
/** Removes the items in `[begin, end)` (a `null` bound is open). */
export function removeByValueRange(bin: string, begin: unknown, end: unknown, returnType?: number): InvertibleListOp {
  return new InvertibleListOp('removeByValueRange', bin, { begin, end, returnType })
}
/** Removes the items from rank `rank` relative to `value` (`count` of them, or all). */
export function removeByValueRelRankRange(bin: string, value: unknown, rank: number, count?: number, returnType?: number): InvertibleListOp {
  return new InvertibleListOp('removeByValueRelRankRange', bin, { value, rank, count, returnType })
}
/** Removes the item of rank `rank`. */
export function removeByRank(bin: string, rank: number, returnType?: number): ListOperation {
  return new ListOperation('removeByRank', bin, { rank, returnType })
}
/** Removes `count` items from rank `rank` (to the largest without `count`). */
export function removeByRankRange(bin: string, rank: number, count?: number, returnType?: number): InvertibleListOp {
  return new InvertibleListOp('removeByRankRange', bin, { rank, count, returnType })
}
/** Removes every item. Returns nothing. */
export function clear(bin: string): ListOperation {
  return new ListOperation('clear', bin)
}
/**
 * Creates a list (at the context's position with `ctx`, padding with nils when `pad`), or sets
 * the order of an existing top-level one. Returns nothing.
 */
export function create(bin: string, order?: number, pad = false, persistIndex = false, ctx?: CdtContext): ListOperation {
  const op = new ListOperation('create', bin, { order, pad, persistIndex })
  return ctx === undefined ? op : op.withContext(ctx)
}
/** Replaces the item at `index`. Returns nothing. */
export function set(bin: string, index: number, value: unknown, policy?: ListPolicy): ListOperation {
  return new ListOperation('set', bin, { index, value, policy })
}
/** Keeps only `count` items from `index`. Returns the number removed. */
export function trim(bin: string, index: number, count: number): ListOperation {
  return new ListOperation('trim', bin, { index, count })
}
/** Returns the item at `index`. */
export function get(bin: string, index: number): ListOperation {
  return new ListOperation('get', bin, { index })
}
/** Returns `count` items from `index` (to the end without `count`). */
export function getRange(bin: string, index: number, count?: number): ListOperation {
  return new ListOperation('getRange', bin, { index, count })
}
/** Selects the item at `index`. */
export function getByIndex(bin: string, index: number, returnType?: number): ListOperation {
  return new ListOperation('getByIndex', bin, { index, returnType })
}
/** Selects `count` items from `index` (to the end without `count`). */
export function getByIndexRange(bin: string, index: number, count?: number, returnType?: number): InvertibleListOp {
  return new InvertibleListOp('getByIndexRange', bin, { index, count, returnType })
}
/** Selects every item equal to `value`. */
export function getByValue(bin: string, value: unknown, returnType?: number): InvertibleListOp {
  return new InvertibleListOp('getByValue', bin, { value, returnType })
}
/** Selects every item equal to one of `values`. */
export function getByValueList(bin: string, values: unknown[], returnType?: number): InvertibleListOp {
  return new InvertibleListOp('getByValueList', bin, { values, returnType })
}
/** Selects the items in `[begin, end)` (a `null` bound is open). */
export function getByValueRange(bin: string, begin: unknown, end: unknown, returnType?: number): InvertibleListOp {
  return new InvertibleListOp('getByValueRange', bin, { begin, end, returnType })
}
/** Selects the items from rank `rank` relative to `value` (`count` of them, or all). */
export function getByValueRelRankRange(bin: string, value: unknown, rank: number, count?: number, returnType?: number): InvertibleListOp {
  return new InvertibleListOp('getByValueRelRankRange', bin, { value, rank, count, returnType })
}
/** Selects the item of rank `rank`. */
export function getByRank(bin: string, rank: number, returnType?: number): ListOperation {
  return new ListOperation('getByRank', bin, { rank, returnType })
}
/** Selects `count` items from rank `rank` (to the largest without `count`). */
export function getByRankRange(bin: string, rank: number, count?: number, returnType?: number): InvertibleListOp {
  return new InvertibleListOp('getByRankRange', bin, { rank, count, returnType })
}
/** Adds `value` (default 1) to the integer at `index`. Returns the new value. */
export function increment(bin: string, index: number, value?: number | bigint, policy?: ListPolicy): ListOperation {
  return new ListOperation('increment', bin, { index, value, policy })
}
/** Returns the number of items. */
export function size(bin: string): ListOperation {
  return new ListOperation('size', bin)
}
