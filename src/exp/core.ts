/**
 * The expression value and the helpers every `exp` builder shares: argument checks that throw a
 * `TypeError` naming the builder, node packing, and the CALL envelope of list, map, bit and HLL
 * expressions (wire protocol reference §8).
 * @module
 * @internal
 */
import { LIST_RETURNS, MAP_RETURNS, RETURN as RT, RETURN_INVERTED as INVERTED } from '../cdt_opcodes'
import { EXPRESSION } from './marker'
import { Packer, describe } from './msgpack'

/**
 * A built expression: a filter (`policy.filterExpression`) or the value of an expression
 * operation (`exp.operations.read/write`). Build it with the `exp` functions; it holds the packed
 * wire form, so it can be reused across commands at no cost.
 *
 * Like the official client's expressions it is an array (`Array.isArray(e)` is true), but an
 * empty one: the expression lives in its packed form, not in array elements.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class AerospikeExp extends Array<{ op: number; [key: string]: any }> {
  /** @internal The packed expression. */
  readonly _bytes!: Buffer

  /** Array methods (`map`, `slice`, …) on an expression give plain arrays. */
  static get [Symbol.species](): ArrayConstructor {
    return Array
  }

  /** @internal Use the `exp` functions. */
  constructor(bytes: Buffer) {
    super()
    ;(this as { _bytes: Buffer })._bytes = bytes
    Object.freeze(this)
  }

  /** The packed expression in base64 (what the official client's `expressionToBase64` gives). */
  toBase64(): string {
    return this._bytes.toString('base64')
  }

  /** An expression from its base64 form (as produced by any Aerospike client). */
  static fromBase64(b64: string): AerospikeExp {
    return new AerospikeExp(packedExpression(b64, 'exp.fromBase64: the argument'))
  }
}
Object.defineProperty(AerospikeExp.prototype, EXPRESSION, { value: true })

/**
 * Expressions built from arguments the official client only rejects when a command converts
 * them (it checks them at `operate()` time, not in the builder): the reason, by expression.
 */
const invalid = new WeakMap<AerospikeExp, string>()

/** An expression that fails any command using it, for the reason given (see {@link invalidReason}). */
export function invalidExp(reason: string): AerospikeExp {
  const e = new AerospikeExp(Buffer.alloc(0))
  invalid.set(e, reason)
  return e
}

/** Why `e` is an invalid expression (made by {@link invalidExp}), or `undefined`. */
export function invalidReason(e: unknown): string | undefined {
  return e instanceof AerospikeExp ? invalid.get(e) : undefined
}

/** The packed bytes of an expression given as an `AerospikeExp` or its base64 form. */
export function packedExpression(e: unknown, where: string): Buffer {
  const bad = invalidReason(e)
  if (bad !== undefined) throw new TypeError(`${where} is invalid: ${bad}`)
  if (e instanceof AerospikeExp) return e._bytes
  if (typeof e === 'string') {
    const b = Buffer.from(e, 'base64')
    if (b.length > 0) return b
  }
  throw new TypeError(`${where} must be an expression built with exp.* (or its base64 form), got ${describe(e)}`)
}

/** Expression op codes (wire protocol reference §8.4). */
export const OP = {
  UNKNOWN: 0,
  EQ: 1,
  NE: 2,
  GT: 3,
  GE: 4,
  LT: 5,
  LE: 6,
  REGEX: 7,
  GEO: 8,
  IN_LIST: 9,
  AND: 16,
  OR: 17,
  NOT: 18,
  EXCLUSIVE: 19,
  ADD: 20,
  SUB: 21,
  MUL: 22,
  DIV: 23,
  POW: 24,
  LOG: 25,
  MOD: 26,
  ABS: 27,
  FLOOR: 28,
  CEIL: 29,
  TO_INT: 30,
  TO_FLOAT: 31,
  INT_AND: 32,
  INT_OR: 33,
  INT_XOR: 34,
  INT_NOT: 35,
  INT_LSHIFT: 36,
  INT_RSHIFT: 37,
  INT_ARSHIFT: 38,
  INT_COUNT: 39,
  INT_LSCAN: 40,
  INT_RSCAN: 41,
  MIN: 50,
  MAX: 51,
  DIGEST_MODULO: 64,
  DEVICE_SIZE: 65,
  LAST_UPDATE: 66,
  SINCE_UPDATE: 67,
  VOID_TIME: 68,
  TTL: 69,
  SET_NAME: 70,
  KEY_EXISTS: 71,
  IS_TOMBSTONE: 72,
  MEMORY_SIZE: 73,
  RECORD_SIZE: 74,
  KEY: 80,
  BIN: 81,
  BIN_TYPE: 82,
  REMOVE_RESULT: 100,
  MAP_KEYS: 101,
  MAP_VALUES: 102,
  /** A loop variable of a path expression: `[122, type, part]`. */
  LOOP_VAR: 122,
  COND: 123,
  VAR: 124,
  LET: 125,
  QUOTE: 126,
  CALL: 127,
} as const

/** Expression value types, with the official client's names (`exp.type`). */
export const type = Object.freeze({
  NIL: 0,
  BOOL: 1,
  INT: 2,
  STR: 3,
  LIST: 4,
  MAP: 5,
  BLOB: 6,
  FLOAT: 7,
  GEOJSON: 8,
  HLL: 9,
  /** Let the builder work out the type from the return type. */
  AUTO: 10,
  ERROR: 11,
})
/** The values of `type`, as a type (the official client declares `type` as an enum). */
export type type = (typeof type)[keyof typeof type]

/** The systems a CALL reaches, and the flag that makes it return the modified value. */
export const SYS = { CDT: 0, BITS: 1, HLL: 2, MODIFY: 0x40 } as const

/** The context op code of a CDT payload: `[0xff, ctx, [op, …]]`. */
const CONTEXT_EVAL = 0xff
const MAX_BIN_NAME = 15

/** Packs `[op, …parts]`, parts being already-packed arguments. */
export function node(op: number, ...parts: Uint8Array[]): AerospikeExp {
  const p = new Packer(16 + parts.reduce((n, b) => n + b.length, 0))
  p.arrayHeader(parts.length + 1).int(op)
  for (const b of parts) p.raw(b)
  return new AerospikeExp(p.finish())
}

/** A literal packed by `f`. */
export function literal(f: (p: Packer) => void): AerospikeExp {
  const p = new Packer(16)
  f(p)
  return new AerospikeExp(p.finish())
}

/** The packed bytes of an expression argument; a `TypeError` naming it otherwise. */
export function arg(v: unknown, name: string, where: string): Buffer {
  const bad = invalidReason(v)
  if (bad !== undefined) throw new TypeError(`${where}: ${name} is invalid: ${bad}`)
  if (v instanceof AerospikeExp) return v._bytes
  const hint = typeof v === 'number' || typeof v === 'bigint' ? ` (wrap values: exp.int(${String(v)}))` : typeof v === 'string' ? ' (wrap values: exp.str(…))' : ''
  throw new TypeError(`${where}: ${name} must be an expression built with exp.*, got ${describe(v)}${hint}`)
}

/** The packed bytes of every argument of a variadic builder (at least `min`). */
export function args(list: unknown[], where: string, min = 1): Buffer[] {
  if (list.length < min) throw new TypeError(`${where} needs at least ${min} expression${min === 1 ? '' : 's'}, got ${list.length}`)
  return list.map((v, i) => arg(v, `argument ${i + 1}`, where))
}

/** A plain msgpack string (bin and variable names, regex patterns), packed. */
export function rawStr(s: string): Buffer {
  return new Packer(s.length + 4).rawStr(s).finish()
}

/** An integer literal, packed. */
export function packInt(v: number | bigint): Buffer {
  return new Packer(10).int(v).finish()
}

/** A bin name: a non-empty string of at most 15 bytes. */
export function binName(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new TypeError(`${where}: bin name must be a non-empty string, got ${describe(v)}`)
  if (Buffer.byteLength(v) > MAX_BIN_NAME) throw new TypeError(`${where}: bin name "${v}" is longer than ${MAX_BIN_NAME} bytes`)
  return v
}

/** An integer within `[min, max]`. */
export function intIn(v: unknown, name: string, where: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new TypeError(`${where}: ${name} must be an integer from ${min} to ${max}, got ${describe(v)}`)
  }
  return v
}

/** The context items of a `cdt.Context` (or any object with an `items` array of `[type, value]`). */
function contextItems(ctx: unknown, where: string): Array<[number, unknown]> {
  if (ctx === undefined || ctx === null) return []
  const items = (ctx as { items?: unknown }).items
  if (typeof ctx !== 'object' || !Array.isArray(items)) throw new TypeError(`${where}: ctx must be a cdt.Context, got ${describe(ctx)}`)
  items.forEach((item, i) => {
    if (!Array.isArray(item) || item.length !== 2 || !Number.isInteger(item[0]) || item[0] < 0 || item[0] > 0xffff || item[1] === undefined) {
      throw new TypeError(`${where}: ctx level ${i} is malformed`)
    }
  })
  return items as Array<[number, unknown]>
}

/** A `cdt.Context` packed as Aerospike's msgpack context array (used by index definitions). */
export function packContext(ctx: unknown, where: string): Buffer {
  const items = contextItems(ctx, where)
  if (items.length === 0) throw new TypeError(`${where}: the context is empty`)
  const p = new Packer(32)
  p.arrayHeader(items.length * 2)
  items.forEach(([t, v], i) => {
    p.int(t)
    p.value(v, `${where} ctx[${i}]`)
  })
  return p.finish()
}

/** The type of the top level a context starts in: a map when its first item is a map item. */
export function contextType(ctx: unknown, dflt: number, where: string): number {
  const items = contextItems(ctx, where)
  if (items.length === 0) return dflt
  return (items[0][0] & 0x10) === 0 ? type.MAP : type.LIST
}

/**
 * A CALL: `[127, returnType, system, payload, bin]`, the payload being `[op, …params]`, or
 * `[0xff, [ctxType, ctxValue, …], [op, …params]]` with a context.
 */
export function call(rtype: number, system: number, ctx: unknown, op: number, params: Uint8Array[], bin: unknown, where: string): AerospikeExp {
  const binBytes = arg(bin, 'bin', where)
  const items = contextItems(ctx, where)
  const p = new Packer(64)
  p.arrayHeader(5).int(OP.CALL).int(rtype).int(system)
  if (items.length > 0) {
    p.arrayHeader(3).int(CONTEXT_EVAL).arrayHeader(items.length * 2)
    items.forEach(([t, v], i) => {
      p.int(t)
      p.value(v, `${where} ctx[${i}]`)
    })
  }
  p.arrayHeader(params.length + 1).int(op)
  for (const b of params) p.raw(b)
  p.raw(binBytes)
  return new AerospikeExp(p.finish())
}

/** A policy argument: `undefined`/`null` for none, else an object. */
export function policyObject(p: unknown, where: string): Record<string, unknown> | undefined {
  if (p === undefined || p === null) return undefined
  if (typeof p !== 'object' || Array.isArray(p)) throw new TypeError(`${where}: policy must be an object, got ${describe(p)}`)
  return p as Record<string, unknown>
}

/** Write flags from a policy (`writeFlags`, or `flags` as the official bit/HLL builders read). */
export function policyFlags(p: Record<string, unknown> | undefined, max: number, where: string): number {
  if (!p) return 0
  const v = p.writeFlags ?? p.flags
  if (v === undefined || v === null) return 0
  return intIn(v, 'policy.writeFlags', where, 0, max)
}

/**
 * The calls of one bin-type expression module (`exp.bit`, `exp.hll`): `modify` answers the
 * whole modified bin (of type `binType`), `read` an answer of its own type, and `flags` reads
 * the `writeFlags` of a modify's policy. Errors name `exp.<module>.<function>`.
 */
export function binCalls(module: string, system: number, binType: number) {
  const where = (name: string) => `exp.${module}.${name}`
  return {
    where,
    flags: (name: string, policy: unknown): Buffer => packInt(policyFlags(policyObject(policy, where(name)), 15, where(name))),
    modify: (name: string, op: number, params: Buffer[], bin: AerospikeExp): AerospikeExp => call(binType, system | SYS.MODIFY, null, op, params, bin, where(name)),
    read: (name: string, rtype: number, op: number, params: Buffer[], bin: AerospikeExp): AerospikeExp => call(rtype, system, null, op, params, bin, where(name)),
  }
}

export { describe }


/** A list or map return type: one of the selectors, optionally with the INVERTED bit. */
export function returnType(v: unknown, isMap: boolean, where: string, allowNone: boolean): number {
  const selectors = isMap ? MAP_RETURNS : LIST_RETURNS
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 * INVERTED || !selectors.includes(v % INVERTED) || (!allowNone && v % INVERTED === RT.NONE)) {
    throw new TypeError(`${where}: unknown ${isMap ? 'maps' : 'lists'}.returnType ${describe(v)}${allowNone ? '' : ' (a read needs a return type other than NONE)'}`)
  }
  return v
}

/**
 * The value type a list or map read answers with, from its return type, as the official client
 * works it out: `valueType` may be `exp.type.AUTO` (or omitted) except for the single value or
 * key of `getByIndex`/`getByRank`/`getByKey`, where it names the element's type; a `valueType`
 * that contradicts the return type is a `TypeError`.
 */
export function readType(valueType: unknown, rt: number, multi: boolean, where: string): number {
  const answers = rt % INVERTED
  let expected: number
  if (answers === RT.COUNT) expected = type.INT
  else if (answers === RT.EXISTS) expected = type.BOOL
  else if (answers === RT.KEY || answers === RT.VALUE) expected = multi ? type.LIST : type.AUTO
  else if (answers === RT.INDEX || answers === RT.REVERSE_INDEX || answers === RT.RANK || answers === RT.REVERSE_RANK) expected = multi ? type.LIST : type.INT
  else expected = type.MAP
  const auto = valueType === undefined || valueType === null || valueType === type.AUTO
  if (!auto && (typeof valueType !== 'number' || !Number.isInteger(valueType) || valueType < type.NIL || valueType > type.HLL)) {
    throw new TypeError(`${where}: unknown exp.type ${describe(valueType)}`)
  }
  if (expected === type.AUTO) {
    if (auto) throw new TypeError(`${where}: valueType must name the element's exp.type for this return type`)
    return valueType as number
  }
  if (!auto && valueType !== expected) throw new TypeError(`${where}: valueType ${describe(valueType)} does not match the return type (it answers exp.type ${expected})`)
  return expected
}
