/**
 * Map expressions (`exp.maps.*`), with the official client's names and argument orders (note
 * that ranges take `end` before `begin`, and `count` before `index`/`rank`, as there): reads
 * answer entries selected by key, value, index or rank (per `maps.returnType`), modifies answer
 * the whole modified bin. `ctx` is a `cdt.Context` for a map nested in the bin.
 * @module
 */
import type { CdtContext } from '../cdt_context'
import { opcodes } from '../map_opcodes'
import { cdtBuilders } from './cdt'
import { type AerospikeExp, SYS, call, intIn, packInt, policyObject, type } from './core'

/** Map op codes of the CDT payload. */
const M = opcodes

/** The order and write behavior a map write may carry. */
export interface MapPolicyLike {
  order?: number
  writeMode?: number
  writeFlags?: number
}

type Exp = AerospikeExp

const { where, exps, optional, read, modify, remove } = cdtBuilders(true)

/** The packed `[order, flags]` (or `[order]`) of a map policy; nothing without one. */
function policyParams(name: string, policy: unknown, withFlags: boolean): Buffer[] {
  const w = where(name)
  const p = policyObject(policy, w)
  if (!p) return []
  const order = p.order === undefined || p.order === null ? 0 : intIn(p.order, 'policy.order', w, 0, 3)
  if (order === 2) throw new TypeError(`${w}: unknown maps.order 2`)
  if (!withFlags) return [packInt(order)]
  let flags = p.writeFlags === undefined || p.writeFlags === null ? 0 : intIn(p.writeFlags, 'policy.writeFlags', w, 0, 15)
  // The legacy write modes are the CREATE_ONLY / UPDATE_ONLY write flags.
  const mode = p.writeMode === undefined || p.writeMode === null ? 0 : intIn(p.writeMode, 'policy.writeMode', w, 0, 2)
  if (mode === 1) flags |= 2
  else if (mode === 2) flags |= 1
  return [packInt(order), packInt(flags)]
}

// ---------------------------------------------------------------------------------------------
// Modifies (answer the modified bin)
// ---------------------------------------------------------------------------------------------

/** Puts `key` → `value`. */
export function put(bin: Exp, value: Exp, key: Exp, policy: MapPolicyLike | null = null, ctx: CdtContext | null = null): Exp {
  return modify('put', M.PUT, ctx, [...exps('put', [['key', key], ['value', value]]), ...policyParams('put', policy, true)], bin)
}

/** Puts every entry of the map `map`. */
export function putItems(bin: Exp, map: Exp, policy: MapPolicyLike | null = null, ctx: CdtContext | null = null): Exp {
  return modify('putItems', M.PUT_ITEMS, ctx, [...exps('putItems', [['map', map]]), ...policyParams('putItems', policy, true)], bin)
}

/** Adds `value` to the number under `key` (creating it). */
export function increment(bin: Exp, value: Exp, key: Exp, policy: MapPolicyLike | null = null, ctx: CdtContext | null = null): Exp {
  return modify('increment', M.INCREMENT, ctx, [...exps('increment', [['key', key], ['value', value]]), ...policyParams('increment', policy, false)], bin)
}

/** Removes every entry. */
export function clear(bin: Exp, ctx: CdtContext | null = null): Exp {
  return modify('clear', M.CLEAR, ctx, [], bin)
}

/** Removes the entry with key `key`. */
export function removeByKey(bin: Exp, key: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  return remove('removeByKey', M.REMOVE_BY_KEY, ctx, returnType, exps('removeByKey', [['key', key]]), bin)
}

/** Removes the entries whose key is in the list `keys`. */
export function removeByKeyList(bin: Exp, keys: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  return remove('removeByKeyList', M.REMOVE_BY_KEY_LIST, ctx, returnType, exps('removeByKeyList', [['keys', keys]]), bin)
}

/** Removes the entries with keys in `[begin, end)`. */
export function removeByKeyRange(bin: Exp, end: Exp | null | undefined, begin: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  const params = [...exps('removeByKeyRange', [['begin', begin]]), ...optional('removeByKeyRange', 'end', end)]
  return remove('removeByKeyRange', M.REMOVE_BY_KEY_INTERVAL, ctx, returnType, params, bin)
}

/** Removes the entries from index `idx` relative to `key` to the end. */
export function removeByKeyRelIndexRangeToEnd(bin: Exp, idx: Exp, key: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  const params = exps('removeByKeyRelIndexRangeToEnd', [['key', key], ['idx', idx]])
  return remove('removeByKeyRelIndexRangeToEnd', M.REMOVE_BY_KEY_REL_INDEX_RANGE, ctx, returnType, params, bin)
}

/** Removes `count` entries from index `idx` relative to `key`. */
export function removeByKeyRelIndexRange(bin: Exp, count: Exp, idx: Exp, key: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  const params = exps('removeByKeyRelIndexRange', [['key', key], ['idx', idx], ['count', count]])
  return remove('removeByKeyRelIndexRange', M.REMOVE_BY_KEY_REL_INDEX_RANGE, ctx, returnType, params, bin)
}

/** Removes the entries whose value equals `value`. */
export function removeByValue(bin: Exp, value: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  return remove('removeByValue', M.REMOVE_ALL_BY_VALUE, ctx, returnType, exps('removeByValue', [['value', value]]), bin)
}

/** Removes the entries whose value is in the list `values`. */
export function removeByValueList(bin: Exp, values: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  return remove('removeByValueList', M.REMOVE_BY_VALUE_LIST, ctx, returnType, exps('removeByValueList', [['values', values]]), bin)
}

/** Removes the entries with values in `[begin, end)`. */
export function removeByValueRange(bin: Exp, end: Exp | null | undefined, begin: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  const params = [...exps('removeByValueRange', [['begin', begin]]), ...optional('removeByValueRange', 'end', end)]
  return remove('removeByValueRange', M.REMOVE_BY_VALUE_INTERVAL, ctx, returnType, params, bin)
}

/** Removes the entries from rank `rank` relative to `value` to the end. */
export function removeByValueRelRankRangeToEnd(bin: Exp, rank: Exp, value: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  const params = exps('removeByValueRelRankRangeToEnd', [['value', value], ['rank', rank]])
  return remove('removeByValueRelRankRangeToEnd', M.REMOVE_BY_VALUE_REL_RANK_RANGE, ctx, returnType, params, bin)
}

/** Removes `count` entries from rank `rank` relative to `value`. */
export function removeByValueRelRankRange(bin: Exp, count: Exp, rank: Exp, value: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  const params = exps('removeByValueRelRankRange', [['value', value], ['rank', rank], ['count', count]])
  return remove('removeByValueRelRankRange', M.REMOVE_BY_VALUE_REL_RANK_RANGE, ctx, returnType, params, bin)
}

/** Removes the entry at key index `idx`. */
export function removeByIndex(bin: Exp, idx: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  return remove('removeByIndex', M.REMOVE_BY_INDEX, ctx, returnType, exps('removeByIndex', [['idx', idx]]), bin)
}

/** Removes the entries from key index `idx` to the end. */
export function removeByIndexRangeToEnd(bin: Exp, idx: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  return remove('removeByIndexRangeToEnd', M.REMOVE_BY_INDEX_RANGE, ctx, returnType, exps('removeByIndexRangeToEnd', [['idx', idx]]), bin)
}

/** Removes `count` entries from key index `idx`. */
export function removeByIndexRange(bin: Exp, count: Exp, idx: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  const params = exps('removeByIndexRange', [['idx', idx], ['count', count]])
  return remove('removeByIndexRange', M.REMOVE_BY_INDEX_RANGE, ctx, returnType, params, bin)
}

/** Removes the entry of value rank `rank`. */
export function removeByRank(bin: Exp, rank: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  return remove('removeByRank', M.REMOVE_BY_RANK, ctx, returnType, exps('removeByRank', [['rank', rank]]), bin)
}

/** Removes the entries from value rank `rank` to the largest. */
export function removeByRankRangeToEnd(bin: Exp, rank: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  return remove('removeByRankRangeToEnd', M.REMOVE_BY_RANK_RANGE, ctx, returnType, exps('removeByRankRangeToEnd', [['rank', rank]]), bin)
}

/** Removes `count` entries from value rank `rank`. */
export function removeByRankRange(bin: Exp, count: Exp, rank: Exp, ctx: CdtContext | null = null, returnType: number = 0): Exp {
  const params = exps('removeByRankRange', [['rank', rank], ['count', count]])
  return remove('removeByRankRange', M.REMOVE_BY_RANK_RANGE, ctx, returnType, params, bin)
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

/** The number of entries. */
export function size(bin: Exp, ctx: CdtContext | null = null): Exp {
  return call(type.INT, SYS.CDT, ctx, M.SIZE, [], bin, where('size'))
}

/** The entry with key `key`; `valueType` is the value's `exp.type` when `returnType` is VALUE. */
export function getByKey(bin: Exp, key: Exp, valueType: number, returnType: number, ctx: CdtContext | null = null): Exp {
  return read('getByKey', M.GET_BY_KEY, valueType, returnType, false, ctx, exps('getByKey', [['key', key]]), bin)
}

/** The entries with keys in `[begin, end)`. */
export function getByKeyRange(bin: Exp, end: Exp | null | undefined, begin: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  const params = [...exps('getByKeyRange', [['begin', begin]]), ...optional('getByKeyRange', 'end', end)]
  return read('getByKeyRange', M.GET_BY_KEY_INTERVAL, type.AUTO, returnType, true, ctx, params, bin)
}

/** The entries whose key is in the list `keys`. */
export function getByKeyList(bin: Exp, keys: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  return read('getByKeyList', M.GET_BY_KEY_LIST, type.AUTO, returnType, true, ctx, exps('getByKeyList', [['keys', keys]]), bin)
}

/** The entries from index `idx` relative to `key` to the end. */
export function getByKeyRelIndexRangeToEnd(bin: Exp, idx: Exp, key: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  const params = exps('getByKeyRelIndexRangeToEnd', [['key', key], ['idx', idx]])
  return read('getByKeyRelIndexRangeToEnd', M.GET_BY_KEY_REL_INDEX_RANGE, type.AUTO, returnType, true, ctx, params, bin)
}

/** `count` entries from index `idx` relative to `key`. */
export function getByKeyRelIndexRange(bin: Exp, count: Exp, idx: Exp, key: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  const params = exps('getByKeyRelIndexRange', [['key', key], ['idx', idx], ['count', count]])
  return read('getByKeyRelIndexRange', M.GET_BY_KEY_REL_INDEX_RANGE, type.AUTO, returnType, true, ctx, params, bin)
}

/** The entries whose value equals `value`. */
export function getByValue(bin: Exp, value: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  return read('getByValue', M.GET_ALL_BY_VALUE, type.AUTO, returnType, true, ctx, exps('getByValue', [['value', value]]), bin)
}

/** The entries with values in `[begin, end)`. */
export function getByValueRange(bin: Exp, end: Exp | null | undefined, begin: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  const params = [...exps('getByValueRange', [['begin', begin]]), ...optional('getByValueRange', 'end', end)]
  return read('getByValueRange', M.GET_BY_VALUE_INTERVAL, type.AUTO, returnType, true, ctx, params, bin)
}

/** The entries whose value is in the list `values`. */
export function getByValueList(bin: Exp, values: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  return read('getByValueList', M.GET_BY_VALUE_LIST, type.AUTO, returnType, true, ctx, exps('getByValueList', [['values', values]]), bin)
}

/** The entries from rank `rank` relative to `value` to the end. */
export function getByValueRelRankRangeToEnd(bin: Exp, rank: Exp, value: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  const params = exps('getByValueRelRankRangeToEnd', [['value', value], ['rank', rank]])
  return read('getByValueRelRankRangeToEnd', M.GET_BY_VALUE_REL_RANK_RANGE, type.AUTO, returnType, true, ctx, params, bin)
}

/** `count` entries from rank `rank` relative to `value`. */
export function getByValueRelRankRange(bin: Exp, count: Exp, rank: Exp, value: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  const params = exps('getByValueRelRankRange', [['value', value], ['rank', rank], ['count', count]])
  return read('getByValueRelRankRange', M.GET_BY_VALUE_REL_RANK_RANGE, type.AUTO, returnType, true, ctx, params, bin)
}

/** The entry at key index `idx`; `valueType` as for {@link getByKey}. */
export function getByIndex(bin: Exp, idx: Exp, valueType: number, returnType: number, ctx: CdtContext | null = null): Exp {
  return read('getByIndex', M.GET_BY_INDEX, valueType, returnType, false, ctx, exps('getByIndex', [['idx', idx]]), bin)
}

/** The entries from key index `idx` to the end. */
export function getByIndexRangeToEnd(bin: Exp, idx: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  return read('getByIndexRangeToEnd', M.GET_BY_INDEX_RANGE, type.AUTO, returnType, true, ctx, exps('getByIndexRangeToEnd', [['idx', idx]]), bin)
}

/** `count` entries from key index `idx`. */
export function getByIndexRange(bin: Exp, count: Exp, idx: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  const params = exps('getByIndexRange', [['idx', idx], ['count', count]])
  return read('getByIndexRange', M.GET_BY_INDEX_RANGE, type.AUTO, returnType, true, ctx, params, bin)
}

/** The entry of value rank `rank`; `valueType` as for {@link getByKey}. */
export function getByRank(bin: Exp, rank: Exp, valueType: number, returnType: number, ctx: CdtContext | null = null): Exp {
  return read('getByRank', M.GET_BY_RANK, valueType, returnType, false, ctx, exps('getByRank', [['rank', rank]]), bin)
}

/** The entries from value rank `rank` to the largest. */
export function getByRankRangeToEnd(bin: Exp, rank: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  return read('getByRankRangeToEnd', M.GET_BY_RANK_RANGE, type.AUTO, returnType, true, ctx, exps('getByRankRangeToEnd', [['rank', rank]]), bin)
}

/** `count` entries from value rank `rank`. */
export function getByRankRange(bin: Exp, count: Exp, rank: Exp, returnType: number, ctx: CdtContext | null = null): Exp {
  const params = exps('getByRankRange', [['rank', rank], ['count', count]])
  return read('getByRankRange', M.GET_BY_RANK_RANGE, type.AUTO, returnType, true, ctx, params, bin)
}
