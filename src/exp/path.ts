/**
 * Path expressions (server 8.1+), with the official client's names: `exp.selectByPath` reads, and
 * `exp.modifyByPath` rewrites, every node of a list or map bin that a context reaches, the
 * context levels being able to select several children (`cdt.Context#addAllChildren`,
 * `addAllChildrenWithFilter`, `addMapKeysIn`, `addAndFilter`); filters and modify expressions
 * see the node at hand through the `exp.loopVar…` expressions.
 *
 * ```js
 * const ctx = new Aerospike.cdt.Context().addAllChildren()
 * // every float of the list, tripled
 * const triple = exp.modifyByPath(exp.binList('prices'), exp.type.LIST,
 *   exp.mul(exp.loopVarFloat(exp.loopVarPart.VALUE), exp.float(3)), exp.pathModifyFlags.DEFAULT, ctx)
 * await client.operate(key, [exp.operations.write('prices', triple, exp.expWriteFlags.DEFAULT)])
 * ```
 *
 * As in the official client, the builders check the context (and `modifyByPath` its flags)
 * right away, and leave a value type, flags or modify expression that is not one to the command
 * using the expression, which then fails with `ERR_PARAM` "Operations array invalid".
 *
 * Wire form: `[CALL, valueType, CDT (| MODIFY), [0xfe, [ctxType, ctxValue, …], flags], bin]`,
 * with `flags | 0x04` and the modify expression after the flags for a modify; a context level
 * that selects by expression carries the packed expression as its value (`true` for all
 * children).
 * @module
 */
import { CdtContext, pathCtxType } from '../cdt_context'
import { AerospikeExp, OP, SYS, invalidExp, invalidReason, type } from './core'
import { Packer, describe } from './msgpack'

/** Flags of {@link selectByPath} (and `operations.selectByPath`): what the selection returns. */
export const pathSelectFlags = Object.freeze({
  /** The tree from the bin down, keeping only the nodes the context selected. */
  MATCHING_TREE: 0,
  /** The list of the values of the nodes finally selected (map values for map entries). */
  VALUE: 1,
  /** Synonym of `VALUE`, for a selection of list elements. */
  LIST_VALUE: 1,
  /** Synonym of `VALUE`, for a selection of map entries. */
  MAP_VALUE: 1,
  /** The list of the keys of the map entries finally selected. */
  MAP_KEY: 2,
  /** The list `[key0, value0, key1, value1, …]` of the map entries finally selected. */
  MAP_KEY_VALUE: 3,
  /** Skip nodes of the wrong type (and take an UNKNOWN filter result as false) instead of failing. */
  NO_FAIL: 16,
})
/** The values of `pathSelectFlags`, as a type (the official client declares `pathSelectFlags` as an enum). */
export type pathSelectFlags = (typeof pathSelectFlags)[keyof typeof pathSelectFlags]

/** Flags of {@link modifyByPath} (and `operations.modifyByPath`). */
export const pathModifyFlags = Object.freeze({
  /** Fail the command when the context meets a node of the wrong type. */
  DEFAULT: 0,
  /** Skip nodes of the wrong type (and take an UNKNOWN filter result as false) instead of failing. */
  NO_FAIL: 16,
})
/** The values of `pathModifyFlags`, as a type (the official client declares `pathModifyFlags` as an enum). */
export type pathModifyFlags = (typeof pathModifyFlags)[keyof typeof pathModifyFlags]

/** Which part of the node at hand a loop variable ({@link loopVarInt}, …) stands for. */
export const loopVarPart = Object.freeze({
  /** The map key of a map entry. */
  KEY: 0,
  /** The value: the list element, or the map entry's value. */
  VALUE: 1,
  /** The index of the list element. */
  INDEX: 2,
})
/** The values of `loopVarPart`, as a type (the official client declares `loopVarPart` as an enum). */
export type loopVarPart = (typeof loopVarPart)[keyof typeof loopVarPart]

/** The CDT op code of a path payload. */
const PATH_OP = 0xfe
/** The flag bit a modify payload always carries: apply the modify expression. */
const MODIFY_APPLY = 0x04
/** Expression context levels: their value is a packed expression. */
const EXP_LEVELS: number[] = [pathCtxType.EXP, pathCtxType.AND_EXP]

// ---------------------------------------------------------------------------------------------
// Loop variables
// ---------------------------------------------------------------------------------------------

function loopVar(valueType: number, name: string): (part: number) => AerospikeExp {
  return (part: number) => {
    if (typeof part !== 'number' || !Number.isInteger(part) || part < 0 || part > 0xff) {
      throw new TypeError(`exp.${name} needs an exp.loopVarPart, got ${describe(part)}`)
    }
    const p = new Packer(8)
    p.arrayHeader(3).int(OP.LOOP_VAR).int(valueType).int(part)
    return new AerospikeExp(p.finish())
  }
}

/** The node at hand as a float (part `exp.loopVarPart.VALUE`), in a path filter or modify expression. */
export const loopVarFloat = loopVar(type.FLOAT, 'loopVarFloat')
/** The node at hand (or its index, `exp.loopVarPart.INDEX`) as an integer. */
export const loopVarInt = loopVar(type.INT, 'loopVarInt')
/** The node at hand as a list. */
export const loopVarList = loopVar(type.LIST, 'loopVarList')
/** The node at hand as a map. */
export const loopVarMap = loopVar(type.MAP, 'loopVarMap')
/** The node at hand (or its map key, `exp.loopVarPart.KEY`) as a string. */
export const loopVarStr = loopVar(type.STR, 'loopVarStr')
/** The node at hand as bytes. */
export const loopVarBlob = loopVar(type.BLOB, 'loopVarBlob')
/** The node at hand as a boolean. */
export const loopVarBool = loopVar(type.BOOL, 'loopVarBool')
/** The node at hand as nil. */
export const loopVarNil = loopVar(type.NIL, 'loopVarNil')
/** The node at hand as a GeoJSON value. */
export const loopVarGeoJSON = loopVar(type.GEOJSON, 'loopVarGeoJSON')
/** The node at hand as a HyperLogLog value. */
export const loopVarHLL = loopVar(type.HLL, 'loopVarHLL')

// ---------------------------------------------------------------------------------------------
// Contexts and arguments
// ---------------------------------------------------------------------------------------------

/** The context argument: a `cdt.Context`, else the official client's `TypeError`. */
export function pathContext(ctx: unknown): CdtContext {
  if (!(ctx instanceof CdtContext)) throw new TypeError('ctx must be a CDT Context')
  return ctx
}

/** A packed expression of an expression context level (`undefined`: all children). */
function levelExpression(p: Packer, v: unknown, where: string): void {
  if (v === undefined) {
    p.bool(true)
    return
  }
  const bad = invalidReason(v)
  if (bad !== undefined) throw new TypeError(`${where}: ${bad}`)
  if (v instanceof AerospikeExp) p.raw(v._bytes)
  else if (typeof v === 'string' && v.length > 0) p.raw(Buffer.from(v, 'base64'))
  else throw new TypeError(`${where} must be an expression, got ${describe(v)}`)
}

/**
 * A path context packed flat, as path payloads carry it: `[type, value, type, value, …]`, the
 * value of an expression level being the packed expression. A `TypeError` when a level is not
 * one.
 */
export function packPathContext(ctx: CdtContext, where: string): Buffer {
  const items: unknown = ctx.items
  if (!Array.isArray(items)) throw new TypeError(`${where}: the context has no levels`)
  const p = new Packer(32)
  p.arrayHeader(items.length * 2)
  items.forEach((item: unknown, i) => {
    const at = `${where} ctx[${i}]`
    if (!Array.isArray(item) || typeof item[0] !== 'number' || !Number.isInteger(item[0]) || item[0] < 0 || item[0] > 0xffff) {
      throw new TypeError(`${at} is malformed`)
    }
    const [t, v] = item as [number, unknown]
    p.int(t)
    if (EXP_LEVELS.includes(t)) levelExpression(p, t === pathCtxType.EXP ? v : (v ?? null), at)
    else if (v === undefined) throw new TypeError(`${at} has no value`)
    else p.value(v, at)
  })
  return p.finish()
}

/** The bin expression argument; `undefined` when the command is to fail (see module doc). */
function binExpression(bin: unknown): Buffer | undefined {
  if (bin instanceof AerospikeExp) return invalidReason(bin) === undefined ? bin._bytes : undefined
  // What the official builder throws when it spreads a bin argument that is not an array.
  const iterable = bin !== null && bin !== undefined && typeof (bin as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  if (!iterable) throw new TypeError('bin is not iterable')
  return undefined
}

/** An integer argument the official builder passes through unchecked. */
function isInt(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/**
 * Selects, from the list or map `bin` (`exp.binList(…)` / `exp.binMap(…)`), the nodes `ctx`
 * reaches; `flags` (`exp.pathSelectFlags`) says what the result holds, `valueType` (`exp.type`)
 * is its type.
 */
export function selectByPath(bin: AerospikeExp, valueType: number, flags: number, ctx: CdtContext): AerospikeExp {
  const where = 'exp.selectByPath'
  pathContext(ctx)
  const binBytes = binExpression(bin)
  if (binBytes === undefined) return invalidExp(`${where}: bin must be a bin expression such as exp.binList(name), got ${describe(bin)}`)
  if (!isInt(valueType, 0xff)) return invalidExp(`${where}: valueType must be an exp.type, got ${describe(valueType)}`)
  if (!isInt(flags, 0xffffffff)) return invalidExp(`${where}: flags must be exp.pathSelectFlags, got ${describe(flags)}`)
  let ctxBytes: Buffer
  try {
    ctxBytes = packPathContext(ctx, where)
  } catch (e) {
    return invalidExp((e as Error).message)
  }
  const p = new Packer(32 + ctxBytes.length + binBytes.length)
  p.arrayHeader(5).int(OP.CALL).int(valueType).int(SYS.CDT)
  p.arrayHeader(3).int(PATH_OP).raw(ctxBytes).int(flags)
  p.raw(binBytes)
  return new AerospikeExp(p.finish())
}

/**
 * The list or map `bin` with every node `ctx` reaches replaced by the value of `modExp` (which
 * sees the node through `exp.loopVar…`; `exp.removeResult()` removes it). `valueType` is the
 * bin's type (`exp.type.LIST` / `MAP`), `flags` are `exp.pathModifyFlags`. Store the result with
 * `exp.operations.write`.
 */
export function modifyByPath(bin: AerospikeExp, valueType: number, modExp: AerospikeExp, flags: number, ctx: CdtContext): AerospikeExp {
  const where = 'exp.modifyByPath'
  pathContext(ctx)
  if (typeof flags !== 'number') throw new TypeError('flags must be a number')
  const binBytes = binExpression(bin)
  if (binBytes === undefined) return invalidExp(`${where}: bin must be a bin expression such as exp.binList(name), got ${describe(bin)}`)
  if (!isInt(valueType, 0xff)) return invalidExp(`${where}: valueType must be an exp.type, got ${describe(valueType)}`)
  if (!isInt(flags, 0xffffffff)) return invalidExp(`${where}: flags must be exp.pathModifyFlags, got ${describe(flags)}`)
  if (!(modExp instanceof AerospikeExp) || invalidReason(modExp) !== undefined) {
    return invalidExp(`${where}: modExp must be an expression built with exp.*, got ${describe(modExp)}`)
  }
  let ctxBytes: Buffer
  try {
    ctxBytes = packPathContext(ctx, where)
  } catch (e) {
    return invalidExp((e as Error).message)
  }
  const p = new Packer(32 + ctxBytes.length + modExp._bytes.length + binBytes.length)
  p.arrayHeader(5).int(OP.CALL).int(valueType).int(SYS.CDT | SYS.MODIFY)
  p.arrayHeader(4).int(PATH_OP).raw(ctxBytes).int((flags | MODIFY_APPLY) >>> 0).raw(modExp._bytes)
  p.raw(binBytes)
  return new AerospikeExp(p.finish())
}
