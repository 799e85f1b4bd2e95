/**
 * HyperLogLog expressions (`exp.hll.*`), with the official client's names and argument orders:
 * modifies answer the whole modified HLL, reads answer counts, unions, similarity and the
 * sketch's description. Bit counts are numbers (or integer expressions); lists are expressions.
 * @module
 */
import { HLL_OP } from '../cdt_opcodes'
import { AerospikeExp, SYS, arg, binCalls, intIn, packInt, type } from './core'

/** HLL op codes of the payload (wire protocol reference §7.7). */
const H = HLL_OP

const { where, flags, modify, read } = binCalls('hll', SYS.HLL, type.HLL)
type Exp = AerospikeExp

/** The write flags an HLL modify may carry (`hll.writeFlags`). */
export interface HLLPolicyLike {
  writeFlags?: number
}

/** A bit count: an integer number (or an integer expression); -1 leaves it unset. */
function bits(v: unknown, name: string, fn: string): Buffer {
  if (v instanceof AerospikeExp) return v._bytes
  return packInt(intIn(v, name, where(fn), -1, 64))
}

/** Creates (or resets) the HLL with `indexBitCount` index bits and `mhBitCount` minhash bits. */
export function initMH(bin: Exp, mhBitCount: number, indexBitCount: number, policy: HLLPolicyLike | null = null): Exp {
  return modify('initMH', H.INIT, [bits(indexBitCount, 'indexBitCount', 'initMH'), bits(mhBitCount, 'mhBitCount', 'initMH'), flags('initMH', policy)], bin)
}

/** Creates (or resets) the HLL with `indexBitCount` index bits. */
export function init(bin: Exp, indexBitCount: number, policy: HLLPolicyLike | null = null): Exp {
  return modify('init', H.INIT, [bits(indexBitCount, 'indexBitCount', 'init'), packInt(-1), flags('init', policy)], bin)
}

/** Adds the values of `list`, creating the HLL with the given bit counts when missing. */
export function addMH(bin: Exp, mhBitCount: number, indexBitCount: number, list: Exp, policy: HLLPolicyLike | null = null): Exp {
  const params = [arg(list, 'list', where('addMH')), bits(indexBitCount, 'indexBitCount', 'addMH'), bits(mhBitCount, 'mhBitCount', 'addMH'), flags('addMH', policy)]
  return modify('addMH', H.ADD, params, bin)
}

/** Adds the values of `list`, creating the HLL with `indexBitCount` index bits when missing. */
export function add(bin: Exp, indexBitCount: number, list: Exp, policy: HLLPolicyLike | null = null): Exp {
  const params = [arg(list, 'list', where('add')), bits(indexBitCount, 'indexBitCount', 'add'), packInt(-1), flags('add', policy)]
  return modify('add', H.ADD, params, bin)
}

/** Adds the values of `list` to an existing HLL. */
export function update(bin: Exp, list: Exp, policy: HLLPolicyLike | null = null): Exp {
  return modify('update', H.ADD, [arg(list, 'list', where('update')), packInt(-1), packInt(-1), flags('update', policy)], bin)
}

/** The estimated number of distinct values. */
export function getCount(bin: Exp): Exp {
  return read('getCount', type.INT, H.COUNT, [], bin)
}

/** The union of the HLL and the HLLs of `list`. */
export function getUnion(bin: Exp, list: Exp): Exp {
  return read('getUnion', type.HLL, H.GET_UNION, [arg(list, 'list', where('getUnion'))], bin)
}

/** The estimated count of the union with the HLLs of `list`. */
export function getUnionCount(bin: Exp, list: Exp): Exp {
  return read('getUnionCount', type.INT, H.UNION_COUNT, [arg(list, 'list', where('getUnionCount'))], bin)
}

/** The estimated count of the intersection with the HLLs of `list`. */
export function getIntersectCount(bin: Exp, list: Exp): Exp {
  return read('getIntersectCount', type.INT, H.INTERSECT_COUNT, [arg(list, 'list', where('getIntersectCount'))], bin)
}

/** The estimated similarity with the HLLs of `list` (a float). */
export function getSimilarity(bin: Exp, list: Exp): Exp {
  return read('getSimilarity', type.FLOAT, H.SIMILARITY, [arg(list, 'list', where('getSimilarity'))], bin)
}

/** `[indexBitCount, mhBitCount]` of the HLL. */
export function describe(bin: Exp): Exp {
  return read('describe', type.LIST, H.DESCRIBE, [], bin)
}

/** 1 when every value of `list` may be in the HLL, else 0. */
export function mayContain(bin: Exp, list: Exp): Exp {
  return read('mayContain', type.INT, H.MAY_CONTAIN, [arg(list, 'list', where('mayContain'))], bin)
}
