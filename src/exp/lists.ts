/**
 * List expressions (`exp.lists.*`), with the official client's names and argument orders: reads
 * answer a value of the list (by index, rank or value, per `lists.returnType`), modifies answer
 * the whole modified bin (the record is not changed unless the expression is written with
 * `exp.operations.write`). `ctx` is a `cdt.Context` for a list nested in the bin.
 * @module
 */
import type { CdtContext } from '../cdt_context'
import { LIST_OP } from '../cdt_opcodes'
import { cdtBuilders } from './cdt'
import { type AerospikeExp, SYS, call, intIn, packInt, policyObject, type } from './core'

/** List op codes of the CDT payload (wire protocol reference §7.2). */
const L = LIST_OP

/** The order and write flags a list write may carry. */
export interface ListPolicyLike {
  order?: number
  writeFlags?: number
}


const { where, exps, optional, read, modify, remove } = cdtBuilders(false)

/** The packed `[order, flags]` (or `[flags]`) of a list policy; nothing without one. */
function policyParams(name: string, policy: unknown, withOrder: boolean): Buffer[] {
  const p = policyObject(policy, where(name))
  if (!p) return []
  const order = p.order === undefined || p.order === null ? 0 : intIn(p.order, 'policy.order', where(name), 0, 1)
  const flags = p.writeFlags === undefined || p.writeFlags === null ? 0 : intIn(p.writeFlags, 'policy.writeFlags', where(name), 0, 15)
  return withOrder ? [packInt(order), packInt(flags)] : [packInt(flags)]
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

/** The number of elements. */
export function size(bin: AerospikeExp, ctx: CdtContext | null = null): AerospikeExp {
  return call(type.INT, SYS.CDT, ctx, L.SIZE, [], bin, where('size'))
}

/** The elements equal to `value`. */
export function getByValue(bin: AerospikeExp, value: AerospikeExp, returnType: number, ctx: CdtContext | null = null): AerospikeExp {
  return read('getByValue', L.GET_ALL_BY_VALUE, type.AUTO, returnType, true, ctx, exps('getByValue', [['value', value]]), bin)
}

/** The elements in `[begin, end)` (`end` omitted, `null` or `exp.inf()`: no upper bound). */
export function getByValueRange(bin: AerospikeExp, begin: AerospikeExp, end: AerospikeExp | null | undefined, returnType: number, ctx: CdtContext | null = null): AerospikeExp {
  const params = [...exps('getByValueRange', [['begin', begin]]), ...optional('getByValueRange', 'end', end)]
  return read('getByValueRange', L.GET_BY_VALUE_INTERVAL, type.AUTO, returnType, true, ctx, params, bin)
}

/** The elements equal to any value of the list `value`. */
export function getByValueList(bin: AerospikeExp, value: AerospikeExp, returnType: number, ctx: CdtContext | null = null): AerospikeExp {
  return read('getByValueList', L.GET_BY_VALUE_LIST, type.AUTO, returnType, true, ctx, exps('getByValueList', [['value', value]]), bin)
}

/** The elements from rank `rank` relative to `value` to the end. */
export function getByRelRankRangeToEnd(bin: AerospikeExp, value: AerospikeExp, rank: AerospikeExp, returnType: number, ctx: CdtContext | null = null): AerospikeExp {
  const params = exps('getByRelRankRangeToEnd', [['value', value], ['rank', rank]])
  return read('getByRelRankRangeToEnd', L.GET_BY_VALUE_REL_RANK_RANGE, type.AUTO, returnType, true, ctx, params, bin)
}

/** `count` elements from rank `rank` relative to `value`. */
export function getByRelRankRange(bin: AerospikeExp, value: AerospikeExp, rank: AerospikeExp, count: AerospikeExp, returnType: number, ctx: CdtContext | null = null): AerospikeExp {
  const params = exps('getByRelRankRange', [['value', value], ['rank', rank], ['count', count]])
  return read('getByRelRankRange', L.GET_BY_VALUE_REL_RANK_RANGE, type.AUTO, returnType, true, ctx, params, bin)
}

/** The element at `index`; `valueType` is its `exp.type` when `returnType` is VALUE. */
export function getByIndex(bin: AerospikeExp, index: AerospikeExp, valueType: number, returnType: number, ctx: CdtContext | null = null): AerospikeExp {
  return read('getByIndex', L.GET_BY_INDEX, valueType, returnType, false, ctx, exps('getByIndex', [['index', index]]), bin)
}

/** The elements from `index` to the end. */
export function getByIndexRangeToEnd(bin: AerospikeExp, index: AerospikeExp, returnType: number, ctx: CdtContext | null = null): AerospikeExp {
  return read('getByIndexRangeToEnd', L.GET_BY_INDEX_RANGE, type.AUTO, returnType, true, ctx, exps('getByIndexRangeToEnd', [['index', index]]), bin)
}

/** `count` elements from `index`. */
export function getByIndexRange(bin: AerospikeExp, index: AerospikeExp, count: AerospikeExp, returnType: number, ctx: CdtContext | null = null): AerospikeExp {
  const params = exps('getByIndexRange', [['index', index], ['count', count]])
  return read('getByIndexRange', L.GET_BY_INDEX_RANGE, type.AUTO, returnType, true, ctx, params, bin)
}

/** The element of rank `rank`; `valueType` is its `exp.type` when `returnType` is VALUE. */
export function getByRank(bin: AerospikeExp, rank: AerospikeExp, valueType: number, returnType: number, ctx: CdtContext | null = null): AerospikeExp {
  return read('getByRank', L.GET_BY_RANK, valueType, returnType, false, ctx, exps('getByRank', [['rank', rank]]), bin)
}

/** The elements from rank `rank` to the largest. */
export function getByRankRangeToEnd(bin: AerospikeExp, rank: AerospikeExp, returnType: number, ctx: CdtContext | null = null): AerospikeExp {
  return read('getByRankRangeToEnd', L.GET_BY_RANK_RANGE, type.AUTO, returnType, true, ctx, exps('getByRankRangeToEnd', [['rank', rank]]), bin)
}

/** `count` elements from rank `rank`. */
export function getByRankRange(bin: AerospikeExp, rank: AerospikeExp, count: AerospikeExp, returnType: number, ctx: CdtContext | null = null): AerospikeExp {
  const params = exps('getByRankRange', [['rank', rank], ['count', count]])
  return read('getByRankRange', L.GET_BY_RANK_RANGE, type.AUTO, returnType, true, ctx, params, bin)
}

// ---------------------------------------------------------------------------------------------
// Modifies (answer the modified bin)
// ---------------------------------------------------------------------------------------------

/** Appends `value`. */
export function append(bin: AerospikeExp, value: AerospikeExp, policy: ListPolicyLike | null = null, ctx: CdtContext | null = null): AerospikeExp {
  return modify('append', L.APPEND, ctx, [...exps('append', [['value', value]]), ...policyParams('append', policy, true)], bin)
}

/** Appends the items of the list `value`. */
export function appendItems(bin: AerospikeExp, value: AerospikeExp, policy: ListPolicyLike | null = null, ctx: CdtContext | null = null): AerospikeExp {
  return modify('appendItems', L.APPEND_ITEMS, ctx, [...exps('appendItems', [['value', value]]), ...policyParams('appendItems', policy, true)], bin)
}

/** Inserts `value` at `idx`. */
export function insert(bin: AerospikeExp, value: AerospikeExp, idx: AerospikeExp, policy: ListPolicyLike | null = null, ctx: CdtContext | null = null): AerospikeExp {
  return modify('insert', L.INSERT, ctx, [...exps('insert', [['idx', idx], ['value', value]]), ...policyParams('insert', policy, false)], bin)
}

/** Inserts the items of the list `value` at `idx`. */
export function insertItems(bin: AerospikeExp, value: AerospikeExp, idx: AerospikeExp, policy: ListPolicyLike | null = null, ctx: CdtContext | null = null): AerospikeExp {
  return modify('insertItems', L.INSERT_ITEMS, ctx, [...exps('insertItems', [['idx', idx], ['value', value]]), ...policyParams('insertItems', policy, false)], bin)
}

/** Adds `value` to the number at `idx`. */
export function increment(bin: AerospikeExp, value: AerospikeExp, idx: AerospikeExp, policy: ListPolicyLike | null = null, ctx: CdtContext | null = null): AerospikeExp {
  return modify('increment', L.INCREMENT, ctx, [...exps('increment', [['idx', idx], ['value', value]]), ...policyParams('increment', policy, true)], bin)
}

/** Sets the element at `idx` to `value`. */
export function set(bin: AerospikeExp, value: AerospikeExp, idx: AerospikeExp, policy: ListPolicyLike | null = null, ctx: CdtContext | null = null): AerospikeExp {
  return modify('set', L.SET, ctx, [...exps('set', [['idx', idx], ['value', value]]), ...policyParams('set', policy, false)], bin)
}

/** Removes every element. */
export function clear(bin: AerospikeExp, ctx: CdtContext | null = null): AerospikeExp {
  return modify('clear', L.CLEAR, ctx, [], bin)
}

/** Sorts the list (`order`: `lists.sortFlags`). */
export function sort(bin: AerospikeExp, order: number, ctx: CdtContext | null = null): AerospikeExp {
  if (order === undefined || order === null) order = 0
  return modify('sort', L.SORT, ctx, [packInt(intIn(order, 'order', where('sort'), 0, 3))], bin)
}

/** Removes the elements equal to `value` (`returnType` INVERTED: the others). */
export function removeByValue(bin: AerospikeExp, value: AerospikeExp, ctx: CdtContext | null = null, returnType: number = 0): AerospikeExp {
  return remove('removeByValue', L.REMOVE_ALL_BY_VALUE, ctx, returnType, exps('removeByValue', [['value', value]]), bin)
}

/** Removes the elements equal to any value of the list `values`. */
export function removeByValueList(bin: AerospikeExp, values: AerospikeExp, ctx: CdtContext | null = null, returnType: number = 0): AerospikeExp {
  return remove('removeByValueList', L.REMOVE_BY_VALUE_LIST, ctx, returnType, exps('removeByValueList', [['values', values]]), bin)
}

/** Removes the elements in `[begin, end)`. */
export function removeByValueRange(bin: AerospikeExp, end: AerospikeExp | null | undefined, begin: AerospikeExp, ctx: CdtContext | null = null, returnType: number = 0): AerospikeExp {
  const params = [...exps('removeByValueRange', [['begin', begin]]), ...optional('removeByValueRange', 'end', end)]
  return remove('removeByValueRange', L.REMOVE_BY_VALUE_INTERVAL, ctx, returnType, params, bin)
}

/** Removes the elements from rank `rank` relative to `value` to the end. */
export function removeByRelRankRangeToEnd(bin: AerospikeExp, rank: AerospikeExp, value: AerospikeExp, ctx: CdtContext | null = null, returnType: number = 0): AerospikeExp {
  const params = exps('removeByRelRankRangeToEnd', [['value', value], ['rank', rank]])
  return remove('removeByRelRankRangeToEnd', L.REMOVE_BY_VALUE_REL_RANK_RANGE, ctx, returnType, params, bin)
}

/** Removes `count` elements from rank `rank` relative to `value`. */
export function removeByRelRankRange(bin: AerospikeExp, count: AerospikeExp, rank: AerospikeExp, value: AerospikeExp, ctx: CdtContext | null = null, returnType: number = 0): AerospikeExp {
  const params = exps('removeByRelRankRange', [['value', value], ['rank', rank], ['count', count]])
  return remove('removeByRelRankRange', L.REMOVE_BY_VALUE_REL_RANK_RANGE, ctx, returnType, params, bin)
}

/** Removes the element at `idx`. */
export function removeByIndex(bin: AerospikeExp, idx: AerospikeExp, ctx: CdtContext | null = null, returnType: number = 0): AerospikeExp {
  return remove('removeByIndex', L.REMOVE_BY_INDEX, ctx, returnType, exps('removeByIndex', [['idx', idx]]), bin)
}

/** Removes the elements from `idx` to the end. */
export function removeByIndexRangeToEnd(bin: AerospikeExp, idx: AerospikeExp, ctx: CdtContext | null = null, returnType: number = 0): AerospikeExp {
  return remove('removeByIndexRangeToEnd', L.REMOVE_BY_INDEX_RANGE, ctx, returnType, exps('removeByIndexRangeToEnd', [['idx', idx]]), bin)
}

/** Removes `count` elements from `idx`. */
export function removeByIndexRange(bin: AerospikeExp, count: AerospikeExp, idx: AerospikeExp, ctx: CdtContext | null = null, returnType: number = 0): AerospikeExp {
  const params = exps('removeByIndexRange', [['idx', idx], ['count', count]])
  return remove('removeByIndexRange', L.REMOVE_BY_INDEX_RANGE, ctx, returnType, params, bin)
}

/** Removes the element of rank `rank`. */
export function removeByRank(bin: AerospikeExp, rank: AerospikeExp, ctx: CdtContext | null = null, returnType: number = 0): AerospikeExp {
  return remove('removeByRank', L.REMOVE_BY_RANK, ctx, returnType, exps('removeByRank', [['rank', rank]]), bin)
}

/** Removes the elements from rank `rank` to the largest. */
export function removeByRankRangeToEnd(bin: AerospikeExp, rank: AerospikeExp, ctx: CdtContext | null = null, returnType: number = 0): AerospikeExp {
  return remove('removeByRankRangeToEnd', L.REMOVE_BY_RANK_RANGE, ctx, returnType, exps('removeByRankRangeToEnd', [['rank', rank]]), bin)
}

/** Removes `count` elements from rank `rank`. */
export function removeByRankRange(bin: AerospikeExp, count: AerospikeExp, rank: AerospikeExp, ctx: CdtContext | null = null, returnType: number = 0): AerospikeExp {
  const params = exps('removeByRankRange', [['rank', rank], ['count', count]])
  return remove('removeByRankRange', L.REMOVE_BY_RANK_RANGE, ctx, returnType, params, bin)
}
