/**
 * HyperLogLog operations for {@link Client.operate}, with the official client's names,
 * signatures and constants (`hll.init`, `hll.add`, `hll.getCount`, …). HLL values (for
 * `setUnion`, `getUnion` and the other set operations) are Buffers, as HLL bins read back.
 * @module
 */
import { type ArgEncoder, CdtOperation, KIND, type OpTable, writeOpHead, checkPolicy, flagBits, writeArray, writeInt } from './cdt_operation'
import { HLL_OP as H } from './cdt_opcodes'
import type { Writer } from './codec'
import { describe as describeArg } from './value'

/** Write flags of an {@link HLLPolicy}; combine with `|`. */
export const writeFlags = Object.freeze({ DEFAULT: 0, CREATE_ONLY: 1, UPDATE_ONLY: 2, NO_FAIL: 4, ALLOW_FOLD: 8 })
/** The values of `writeFlags`, as a type (the official client declares `writeFlags` as an enum). */
export type writeFlags = (typeof writeFlags)[keyof typeof writeFlags]

/** Write flags for HLL writes. */
export class HLLPolicy {
  writeFlags?: number
  constructor(props: { writeFlags?: number } = {}) {
    this.writeFlags = props.writeFlags
  }
}

/** A HyperLogLog operation. */
export class HLLOperation extends CdtOperation {
  policy?: HLLPolicy | { writeFlags?: number }
  indexBits?: number
  minhashBits?: number
  list?: unknown[]

  constructor(op: string, bin: string, props?: Partial<HLLOperation>) {
    super(`hll.${op}`, bin)
    if (props) Object.assign(this, props)
  }

  /** Sets the write flags ({@link HLLPolicy}). */
  withPolicy(policy: HLLPolicy): this {
    this.policy = policy
    return this
  }

  /** @internal */
  _kind(): number {
    return KIND.HLL
  }

  /** @internal Wire code, bin, arguments, write flags. */
  _encode(w: Writer, where: string): void {
    writeOpHead(this, OPS, 'HLL', w, where)(w, this, where)
    w.u8(flagBits(checkPolicy(this.policy, where)?.writeFlags, 15, 'HLL write flags', where))
  }
}

type Encoder = ArgEncoder<HLLOperation>

/** A bit count; `-1` (or absent where optional) leaves it to the server. */
const bits =
  (field: 'indexBits' | 'minhashBits', required: boolean): Encoder =>
  (w, o, x) => {
    const v = o[field]
    if (!required && (v === undefined || v === null)) w.int(-1)
    else writeInt(w, v, field, x)
  }
const values: Encoder = (w, o, x) => writeArray(w, o.list, 'list', x)
const hlls: Encoder = (w, o, x) => {
  if (!Array.isArray(o.list)) throw new TypeError(`${x}: list must be an array of HLL values (Buffers), got ${describeArg(o.list)}`)
  o.list.forEach((h, i) => {
    if (!(h instanceof Uint8Array)) throw new TypeError(`${x}: list[${i}] must be an HLL value (a Buffer), got ${describeArg(h)}`)
  })
  writeArray(w, o.list, 'list', x)
}
const none: Encoder = () => {}

/** Operation name → (wire op code, argument encoder). */
const OPS: OpTable<HLLOperation> = {
  'hll.init': [
    H.INIT,
    (w, o, x) => {
      bits('indexBits', true)(w, o, x)
      bits('minhashBits', false)(w, o, x)
    },
  ],
  'hll.add': [
    H.ADD,
    (w, o, x) => {
      values(w, o, x)
      bits('indexBits', false)(w, o, x)
      bits('minhashBits', false)(w, o, x)
    },
  ],
  'hll.setUnion': [H.SET_UNION, hlls],
  'hll.refreshCount': [H.REFRESH_COUNT, none],
  'hll.fold': [H.FOLD, bits('indexBits', true)],
  'hll.getCount': [H.COUNT, none],
  'hll.getUnion': [H.GET_UNION, hlls],
  'hll.getUnionCount': [H.UNION_COUNT, hlls],
  'hll.getIntersectCount': [H.INTERSECT_COUNT, hlls],
  'hll.getSimilarity': [H.SIMILARITY, hlls],
  'hll.describe': [H.DESCRIBE, none],
}

/** Creates (or resets) the HLL with `indexBits` (4–16) and optional `minhashBits`. Returns nothing. */
export function init(bin: string, indexBits: number, minhashBits = -1): HLLOperation {
  return new HLLOperation('init', bin, { indexBits, minhashBits })
}
/** Adds values (creating the HLL with the given bits). Returns how many changed the HLL. */
export function add(bin: string, list: unknown[], indexBits = -1, minhashBits = -1): HLLOperation {
  return new HLLOperation('add', bin, { list, indexBits, minhashBits })
}
/** Sets the HLL to its union with the given HLL values. Returns nothing. */
export function setUnion(bin: string, list: Buffer[]): HLLOperation {
  return new HLLOperation('setUnion', bin, { list })
}
/** Updates the cached count and returns it. */
export function refreshCount(bin: string): HLLOperation {
  return new HLLOperation('refreshCount', bin)
}
/** Folds the HLL down to `indexBits` (only without minhash bits). Returns nothing. */
export function fold(bin: string, indexBits: number): HLLOperation {
  return new HLLOperation('fold', bin, { indexBits })
}
/** Returns the estimated number of distinct values. */
export function getCount(bin: string): HLLOperation {
  return new HLLOperation('getCount', bin)
}
/** Returns the union of the HLL with the given HLL values, as an HLL value. */
export function getUnion(bin: string, list: Buffer[]): HLLOperation {
  return new HLLOperation('getUnion', bin, { list })
}
/** Returns the estimated count of the union with the given HLL values. */
export function getUnionCount(bin: string, list: Buffer[]): HLLOperation {
  return new HLLOperation('getUnionCount', bin, { list })
}
/** Returns the estimated count of the intersection with the given HLL values. */
export function getIntersectCount(bin: string, list: Buffer[]): HLLOperation {
  return new HLLOperation('getIntersectCount', bin, { list })
}
/** Returns the estimated similarity (0–1) with the given HLL values. */
export function getSimilarity(bin: string, list: Buffer[]): HLLOperation {
  return new HLLOperation('getSimilarity', bin, { list })
}
/** Returns `[indexBits, minhashBits]`. */
export function describe(bin: string): HLLOperation {
  return new HLLOperation('describe', bin)
}
