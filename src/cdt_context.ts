/**
 * CDT contexts: the path to a list or map nested inside a bin, for list and map operations
 * (`op.withContext(ctx)`), with the official client's names (`cdt.Context`, `addListIndex`, …).
 * @module
 */
import { AerospikeExp } from './exp/core'
import { describe } from './value'

/** Context item types (the wire ids the server understands). */
export const ctxType = Object.freeze({
  LIST_INDEX: 0x10,
  LIST_RANK: 0x11,
  LIST_VALUE: 0x13,
  MAP_INDEX: 0x20,
  MAP_RANK: 0x21,
  MAP_KEY: 0x22,
  MAP_VALUE: 0x23,
})

/**
 * Context item types of path expressions (`exp.selectByPath`, `operations.modifyByPath`, …;
 * server 8.1+), which select several children at a level. Only path expressions and operations
 * accept them.
 */
export const pathCtxType = Object.freeze({
  /** Every child, optionally kept only where a filter expression is true (`addAllChildren…`). */
  EXP: 0x04,
  /** The map entries whose key is one of a list (`addMapKeysIn`). */
  MAP_KEYS_IN: 0x2a,
  /** A filter expression AND-ed with the level before it (`addAndFilter`). */
  AND_EXP: 0x204,
})

/** Create-on-missing flags OR'd into a context item type (as in the official client). */
const LIST_UNORDERED = 0x40
const LIST_UNORDERED_PAD = 0x80
const LIST_ORDERED = 0xc0
const MAP_UNORDERED = 0x40
const MAP_KEY_ORDERED = 0x80
const MAP_KEY_VALUE_ORDERED = 0xc0

const INT32_MIN = -2147483648
const INT32_MAX = 2147483647

/** A context position must be a 32-bit integer, as in the official client. */
function checkPosition(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`cdt.Context: ${name} must be an integer, got ${describe(v)}`)
  if (v < INT32_MIN || v > INT32_MAX) throw new TypeError(`cdt.Context: ${name} ${v} is outside the 32-bit integer range`)
  return v
}

/** A filter expression argument: an `AerospikeExp` or its base64 form. */
function checkFilter(name: string, v: unknown): unknown {
  if (!(v instanceof AerospikeExp) && !(typeof v === 'string' && v.length > 0)) {
    throw new TypeError(`cdt.Context: ${name} must be an expression built with exp.* (or its base64 form), got ${describe(v)}`)
  }
  return v
}

/**
 * The path from a bin to a nested list or map. Each `add…` call descends one level and returns
 * the context, so calls chain: `new Context().addMapKey('a').addListIndex(-1)`.
 */
export class CdtContext {
  /** `[type, value]` pairs, outermost first. */
  items: Array<[number, unknown]> = []

  /** Descends into the list element at `index` (negative counts from the end). */
  addListIndex(index: number): this {
    return this.add(ctxType.LIST_INDEX, checkPosition('index', index))
  }

  /**
   * Descends into the list element at `index`, creating a list there when it is missing:
   * ordered when `order` is `lists.order.ORDERED`, padded with nils up to `index` when `pad`.
   */
  addListIndexCreate(index: number, order?: number, pad?: boolean): this {
    checkPosition('index', index)
    if (order !== undefined && order !== 0 && order !== 1) throw new TypeError(`cdt.Context: unknown list order ${describe(order)}`)
    const flags = order ? LIST_ORDERED : pad ? LIST_UNORDERED_PAD : LIST_UNORDERED
    return this.add(ctxType.LIST_INDEX | flags, index)
  }

  /** Descends into the list element of rank `rank` (0 = smallest, -1 = largest). */
  addListRank(rank: number): this {
    return this.add(ctxType.LIST_RANK, checkPosition('rank', rank))
  }

  /** Descends into the first list element equal to `value`. */
  addListValue(value: unknown): this {
    return this.add(ctxType.LIST_VALUE, value)
  }

  /** Descends into the map entry at key index `index`. */
  addMapIndex(index: number): this {
    return this.add(ctxType.MAP_INDEX, checkPosition('index', index))
  }

  /** Descends into the map entry of value rank `rank`. */
  addMapRank(rank: number): this {
    return this.add(ctxType.MAP_RANK, checkPosition('rank', rank))
  }

  /** Descends into the map entry with key `key`. */
  addMapKey(key: unknown): this {
    return this.add(ctxType.MAP_KEY, key)
  }

  /**
   * Descends into the map entry with key `key`, creating a map there when it is missing, with
   * the given `maps.order` (unordered by default).
   */
  addMapKeyCreate(key: unknown, order?: number): this {
    let flags: number
    if (!order) flags = MAP_UNORDERED
    else if (order === 1) flags = MAP_KEY_ORDERED
    else if (order === 3) flags = MAP_KEY_VALUE_ORDERED
    else throw new TypeError(`cdt.Context: unknown map order ${describe(order)}`)
    return this.add(ctxType.MAP_KEY | flags, key)
  }

  /** Descends into the first map entry whose value equals `value`. */
  addMapValue(value: unknown): this {
    return this.add(ctxType.MAP_VALUE, value)
  }

  /**
   * Path expressions only: selects the map entries whose key is one of `keys` (server 8.1.2+).
   */
  addMapKeysIn(keys: unknown[]): this {
    if (!Array.isArray(keys)) throw new TypeError(`cdt.Context: addMapKeysIn needs an array of map keys, got ${describe(keys)}`)
    return this.add(pathCtxType.MAP_KEYS_IN, keys)
  }

  /**
   * Path expressions only: keeps, of what the previous level selected, the entries for which
   * `filterExpression` (a boolean expression, usually on `exp.loopVar…`) is true. One per level;
   * it cannot be the first level nor follow `addAllChildren…` (server 8.1.2+).
   */
  addAndFilter(filterExpression: AerospikeExp): this {
    return this.add(pathCtxType.AND_EXP, checkFilter('addAndFilter', filterExpression))
  }

  /** Path expressions only: selects every child of the current list or map. */
  addAllChildren(): this {
    return this.add(pathCtxType.EXP, undefined)
  }

  /**
   * Path expressions only: selects the children of the current list or map for which
   * `filterExpression` (a boolean expression, usually on `exp.loopVar…`) is true.
   */
  addAllChildrenWithFilter(filterExpression: AerospikeExp | string): this {
    return this.add(pathCtxType.EXP, checkFilter('addAllChildrenWithFilter', filterExpression))
  }

  private add(type: number, value: unknown): this {
    this.items.push([type, value])
    return this
  }
}

export { CdtContext as Context }
