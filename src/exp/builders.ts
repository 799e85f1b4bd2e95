/**
 * The scalar expression builders, with the official client's names and signatures: values,
 * record key and bins, record metadata, comparisons, logic, arithmetic, integer bit operations,
 * `cond`, `let`/`def`/`var`.
 * @module
 * @internal
 */
import { Double, GeoJSON } from '../values'
import { AerospikeExp, OP, arg, args, binName, describe, intIn, literal, node, packInt, rawStr, type } from './core'
import { isI64, isU64 } from './msgpack'
import { isExpression } from './marker'

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** A boolean value. */
export function bool(value: boolean): AerospikeExp {
  if (typeof value !== 'boolean') throw new TypeError(`exp.bool needs a boolean, got ${describe(value)}`)
  return literal((p) => p.bool(value))
}

/**
 * A 64-bit signed integer value: an integral number (beyond 2^53 taken as the integer the number
 * holds, as the official client does, e.g. a void time in nanoseconds) or a bigint.
 */
export function int(value: number | bigint): AerospikeExp {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) >= 2 ** 63) throw new TypeError(`exp.int needs a 64-bit integer, got ${describe(value)}`)
    if (!Number.isSafeInteger(value)) value = BigInt(value)
  } else if (typeof value === 'bigint') {
    if (!isI64(value)) throw new TypeError(`exp.int: ${value} is outside the 64-bit signed integer range`)
  } else {
    throw new TypeError(`exp.int needs an integer, got ${describe(value)}`)
  }
  return literal((p) => p.int(value))
}

/** A 64-bit unsigned integer value. */
export function uint(value: number | bigint): AerospikeExp {
  const ok = typeof value === 'number' ? Number.isSafeInteger(value) && value >= 0 : typeof value === 'bigint' && isU64(value)
  if (!ok) throw new TypeError(`exp.uint needs a non-negative integer of at most 64 bits, got ${describe(value)}`)
  return literal((p) => p.int(value))
}

/** A 64-bit float value (whole numbers too: `exp.float(2)` is 2.0). */
export function float(value: number | Double): AerospikeExp {
  const v = value instanceof Double ? value.Double : value
  if (typeof v !== 'number') throw new TypeError(`exp.float needs a number, got ${describe(value)}`)
  return literal((p) => p.float(v))
}

/** A string value. */
export function str(value: string): AerospikeExp {
  if (typeof value !== 'string') throw new TypeError(`exp.str needs a string, got ${describe(value)}`)
  return literal((p) => p.str(value))
}

/** A bytes (blob) value: a Buffer, Uint8Array or array of byte values; `size` takes its first bytes. */
export function bytes(value: Buffer | Uint8Array | number[], size?: number): AerospikeExp {
  let b: Uint8Array
  if (value instanceof Uint8Array) b = value
  else if (Array.isArray(value) && !isExpression(value) && value.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) b = Uint8Array.from(value)
  else throw new TypeError(`exp.bytes needs a Buffer, got ${describe(value)}`)
  if (size !== undefined && size !== null) b = b.subarray(0, intIn(size, 'size', 'exp.bytes', 0, b.length))
  return literal((p) => p.blob(b))
}

/** A GeoJSON value: a `GeoJSON`, a GeoJSON object, or its JSON text. */
export function geo(value: GeoJSON | object | string): AerospikeExp {
  let text: string
  if (value instanceof GeoJSON) text = value.str
  else if (typeof value === 'string') {
    try {
      JSON.parse(value)
    } catch {
      throw new TypeError(`exp.geo: ${describe(value)} is not JSON`)
    }
    text = value
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) text = JSON.stringify(value)
  else throw new TypeError(`exp.geo needs a GeoJSON value, got ${describe(value)}`)
  return literal((p) => p.geo(text))
}

/** A list value. */
export function list(value: unknown[]): AerospikeExp {
  if (!Array.isArray(value) || isExpression(value)) throw new TypeError(`exp.list needs an array, got ${describe(value)}`)
  // Quoted, so that the server reads it as a value rather than as an expression.
  return literal((p) => p.arrayHeader(2).int(OP.QUOTE).value(value, 'exp.list'))
}

/** A map value (a plain object or a `Map`). */
export function map(value: Record<string, unknown> | Map<unknown, unknown>): AerospikeExp {
  const plain = value !== null && typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)
  if (!(value instanceof Map) && !plain) throw new TypeError(`exp.map needs an object or a Map, got ${describe(value)}`)
  return literal((p) => p.value(value, 'exp.map'))
}

/** The nil value. */
export function nil(): AerospikeExp {
  return literal((p) => p.nil())
}

/** Infinity: greater than every value (an open end of a range). */
export function inf(): AerospikeExp {
  return literal((p) => p.ext1(0xff, 1))
}

/** The wildcard: equal to any value (in list/map value selections). */
export function wildcard(): AerospikeExp {
  return literal((p) => p.ext1(0xff, 0))
}

/**
 * The unknown value: fails the expression on purpose (ignored with `expReadFlags.EVAL_NO_FAIL`
 * / `expWriteFlags.EVAL_NO_FAIL`), typically as a `cond` branch.
 */
export function unknown(): AerospikeExp {
  return node(OP.UNKNOWN)
}

// ---------------------------------------------------------------------------------------------
// Record key and bins
// ---------------------------------------------------------------------------------------------

const keyOf = (t: number) => () => node(OP.KEY, packInt(t))

/** The record's user key as an integer (unknown if it is not stored or not an integer). */
export const keyInt = keyOf(type.INT)
/** The record's user key as a string. */
export const keyStr = keyOf(type.STR)
/** The record's user key as a blob. */
export const keyBlob = keyOf(type.BLOB)

/** Whether the record stores its user key (`policy.key.SEND` on write). */
export function keyExist(): AerospikeExp {
  return node(OP.KEY_EXISTS)
}

const binOf = (t: number, name: string) => (bin: string) => node(OP.BIN, packInt(t), rawStr(binName(bin, `exp.${name}`)))

/** A boolean bin (unknown if missing or of another type). */
export const binBool = binOf(type.BOOL, 'binBool')
/** An integer bin. */
export const binInt = binOf(type.INT, 'binInt')
/** A float bin. */
export const binFloat = binOf(type.FLOAT, 'binFloat')
/** A string bin. */
export const binStr = binOf(type.STR, 'binStr')
/** A blob bin. */
export const binBlob = binOf(type.BLOB, 'binBlob')
/** A GeoJSON bin. */
export const binGeo = binOf(type.GEOJSON, 'binGeo')
/** A list bin. */
export const binList = binOf(type.LIST, 'binList')
/** A map bin. */
export const binMap = binOf(type.MAP, 'binMap')
/** A HyperLogLog bin. */
export const binHll = binOf(type.HLL, 'binHll')

/** The particle type of a bin (0 when the bin does not exist). */
export function binType(bin: string): AerospikeExp {
  return node(OP.BIN_TYPE, rawStr(binName(bin, 'exp.binType')))
}

/** Whether a bin exists. */
export function binExists(bin: string): AerospikeExp {
  return ne(binType(bin), int(0))
}

// ---------------------------------------------------------------------------------------------
// Record metadata
// ---------------------------------------------------------------------------------------------

const meta = (op: number) => () => node(op)

/** The record's set name (empty when it has none). */
export const setName = meta(OP.SET_NAME)
/** The record's size on device (servers before 7.0; use {@link recordSize}). */
export const deviceSize = meta(OP.DEVICE_SIZE)
/** When the record was last updated, in nanoseconds since the Unix epoch. */
export const lastUpdate = meta(OP.LAST_UPDATE)
/** Milliseconds since the record was last updated. */
export const sinceUpdate = meta(OP.SINCE_UPDATE)
/** When the record expires, in nanoseconds since the Unix epoch (0 when it never does). */
export const voidTime = meta(OP.VOID_TIME)
/** Seconds until the record expires (-1 when it never does). */
export const ttl = meta(OP.TTL)
/** Whether the record is a tombstone (false for live records). */
export const isTombstone = meta(OP.IS_TOMBSTONE)
/** The record's size in memory (servers before 7.0; use {@link recordSize}). */
export const memorySize = meta(OP.MEMORY_SIZE)
/** The record's stored size. */
export const recordSize = meta(OP.RECORD_SIZE)

/** The record's digest modulo `mod` (to sample a fraction of the records). */
export function digestModulo(mod: number): AerospikeExp {
  return node(OP.DIGEST_MODULO, packInt(intIn(mod, 'mod', 'exp.digestModulo', 1, 0x7fffffff)))
}

// ---------------------------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------------------------

const cmp = (op: number, name: string) => (left: AerospikeExp, right: AerospikeExp) =>
  node(op, arg(left, 'left', `exp.${name}`), arg(right, 'right', `exp.${name}`))

/** `left == right`. */
export const eq = cmp(OP.EQ, 'eq')
/** `left != right`. */
export const ne = cmp(OP.NE, 'ne')
/** `left > right`. */
export const gt = cmp(OP.GT, 'gt')
/** `left >= right`. */
export const ge = cmp(OP.GE, 'ge')
/** `left < right`. */
export const lt = cmp(OP.LT, 'lt')
/** `left <= right`. */
export const le = cmp(OP.LE, 'le')
/** Point within region, or region contains point. */
export const cmpGeo = cmp(OP.GEO, 'cmpGeo')
/** Whether `left` is an element of the list `right`. */
export const inList = cmp(OP.IN_LIST, 'inList')

/**
 * POSIX regex flags of {@link cmpRegex}, named as the official client's `Aerospike.regex` (whose
 * `NEWLINE` is 4, which the server reads as `NOSUB`; here it is POSIX's 8).
 */
export const regex = Object.freeze({ BASIC: 0, EXTENDED: 1, ICASE: 2, NOSUB: 4, NEWLINE: 8 })
/** The values of `regex`, as a type (the official client declares `regex` as an enum). */
export type regex = (typeof regex)[keyof typeof regex]

/** Whether the string `cmpStr` matches the POSIX regex `regex` (`options`: {@link regex} flags). */
export function cmpRegex(options: number, regexp: string, cmpStr: AerospikeExp): AerospikeExp {
  const where = 'exp.cmpRegex'
  intIn(options, 'options', where, 0, 0xffff)
  if (typeof regexp !== 'string') throw new TypeError(`${where}: regex must be a string, got ${describe(regexp)}`)
  return node(OP.REGEX, packInt(options), rawStr(regexp), arg(cmpStr, 'cmpStr', where))
}

/** The keys of a map, as a list. */
export function mapKeys(map: AerospikeExp): AerospikeExp {
  return node(OP.MAP_KEYS, arg(map, 'map', 'exp.mapKeys'))
}

/** The values of a map, as a list. */
export function mapValues(map: AerospikeExp): AerospikeExp {
  return node(OP.MAP_VALUES, arg(map, 'map', 'exp.mapValues'))
}

// ---------------------------------------------------------------------------------------------
// Logic
// ---------------------------------------------------------------------------------------------

/** Logical not. */
export function not(expr: AerospikeExp): AerospikeExp {
  return node(OP.NOT, arg(expr, 'expr', 'exp.not'))
}

const variadic = (op: number, name: string) => (...exps: AerospikeExp[]) => node(op, ...args(exps, `exp.${name}`))

/** Logical and of two or more boolean expressions. */
export const and = variadic(OP.AND, 'and')
/** Logical or of two or more boolean expressions. */
export const or = variadic(OP.OR, 'or')
/** True when exactly one of the boolean expressions is true. */
export const exclusive = variadic(OP.EXCLUSIVE, 'exclusive')
/** Alias of {@link exclusive}. */
export const xor = exclusive

// ---------------------------------------------------------------------------------------------
// Arithmetic (all operands integers, or all floats)
// ---------------------------------------------------------------------------------------------

/** The sum of the arguments. */
export const add = variadic(OP.ADD, 'add')
/** The first argument minus the others (one argument: its negation). */
export const sub = variadic(OP.SUB, 'sub')
/** The product of the arguments. */
export const mul = variadic(OP.MUL, 'mul')
/** The first argument divided by the others (one argument: its reciprocal). */
export const div = variadic(OP.DIV, 'div')
/** The smallest argument. */
export const min = variadic(OP.MIN, 'min')
/** The largest argument. */
export const max = variadic(OP.MAX, 'max')

const fixed =
  (op: number, name: string, ...names: string[]) =>
  (...exps: AerospikeExp[]) => {
    const where = `exp.${name}`
    if (exps.length !== names.length) throw new TypeError(`${where} takes ${names.length} expression${names.length === 1 ? '' : 's'} (${names.join(', ')}), got ${exps.length}`)
    return node(op, ...exps.map((e, i) => arg(e, names[i], where)))
  }

/** `base` raised to `exponent` (floats). */
export const pow: (base: AerospikeExp, exponent: AerospikeExp) => AerospikeExp = fixed(OP.POW, 'pow', 'base', 'exponent')
/** The logarithm of `num` in base `base` (floats). */
export const log: (num: AerospikeExp, base: AerospikeExp) => AerospikeExp = fixed(OP.LOG, 'log', 'num', 'base')
/** `numerator % denominator` (integers). */
export const mod: (numerator: AerospikeExp, denominator: AerospikeExp) => AerospikeExp = fixed(OP.MOD, 'mod', 'numerator', 'denominator')
/** The absolute value. */
export const abs: (value: AerospikeExp) => AerospikeExp = fixed(OP.ABS, 'abs', 'value')
/** A float rounded down. */
export const floor: (num: AerospikeExp) => AerospikeExp = fixed(OP.FLOOR, 'floor', 'num')
/** A float rounded up. */
export const ceil: (num: AerospikeExp) => AerospikeExp = fixed(OP.CEIL, 'ceil', 'num')
/** A float converted to an integer (truncated). */
export const toInt: (num: AerospikeExp) => AerospikeExp = fixed(OP.TO_INT, 'toInt', 'num')
/** An integer converted to a float. */
export const toFloat: (num: AerospikeExp) => AerospikeExp = fixed(OP.TO_FLOAT, 'toFloat', 'num')

// ---------------------------------------------------------------------------------------------
// Integer bit operations
// ---------------------------------------------------------------------------------------------

/** Bitwise and of integers. */
export const intAnd = variadic(OP.INT_AND, 'intAnd')
/** Bitwise or of integers. */
export const intOr = variadic(OP.INT_OR, 'intOr')
/** Bitwise xor of integers. */
export const intXor = variadic(OP.INT_XOR, 'intXor')
/** Bitwise not of an integer. */
export const intNot: (expr: AerospikeExp) => AerospikeExp = fixed(OP.INT_NOT, 'intNot', 'expr')
/** `value << shift`. */
export const intLshift: (value: AerospikeExp, shift: AerospikeExp) => AerospikeExp = fixed(OP.INT_LSHIFT, 'intLshift', 'value', 'shift')
/** `value >>> shift` (logical). */
export const intRshift: (value: AerospikeExp, shift: AerospikeExp) => AerospikeExp = fixed(OP.INT_RSHIFT, 'intRshift', 'value', 'shift')
/** `value >> shift` (arithmetic). */
export const intArshift: (value: AerospikeExp, shift: AerospikeExp) => AerospikeExp = fixed(OP.INT_ARSHIFT, 'intArshift', 'value', 'shift')
/** The number of bits set. */
export const intCount: (expr: AerospikeExp) => AerospikeExp = fixed(OP.INT_COUNT, 'intCount', 'expr')
/**
 * The index (0 = most significant) of the first bit equal to `search` scanning from the most
 * significant bit; -1 when there is none.
 */
export const intLscan: (value: AerospikeExp, search: AerospikeExp) => AerospikeExp = fixed(OP.INT_LSCAN, 'intLscan', 'value', 'search')
/** As {@link intLscan}, scanning from the least significant bit. */
export const intRscan: (value: AerospikeExp, search: AerospikeExp) => AerospikeExp = fixed(OP.INT_RSCAN, 'intRscan', 'value', 'search')

// ---------------------------------------------------------------------------------------------
// Flow control and variables
// ---------------------------------------------------------------------------------------------

/**
 * `cond(bool1, value1, bool2, value2, …, default)`: the value of the first true condition, else
 * the default.
 */
export function cond(...exps: AerospikeExp[]): AerospikeExp {
  if (exps.length < 3 || exps.length % 2 === 0) {
    throw new TypeError(`exp.cond needs condition/value pairs and a default (an odd number of at least 3 expressions), got ${exps.length}`)
  }
  return node(OP.COND, ...args(exps, 'exp.cond'))
}

/** A variable definition of {@link let_ | let}, made by {@link def}. */
export class ExpDef {
  /** @internal */
  constructor(
    readonly name: string,
    readonly exp: AerospikeExp,
  ) {
    Object.freeze(this)
  }
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

function varName(name: unknown, where: string): string {
  if (typeof name !== 'string' || !VAR_NAME.test(name)) throw new TypeError(`${where}: variable name must be letters, digits and _ (not starting with a digit), got ${describe(name)}`)
  return name
}

/** Defines a variable for {@link let_ | let}: its name and the expression it is set to. */
export function def(varName_: string, expr: AerospikeExp): ExpDef {
  return new ExpDef(varName(varName_, 'exp.def'), new AerospikeExp(arg(expr, 'expr', 'exp.def')))
}

/**
 * `let(def(name, value), …, scope)`: evaluates `scope` with the variables defined (each
 * definition may use the ones before it). Exported as `exp.let`.
 */
export function let_(...items: Array<ExpDef | AerospikeExp>): AerospikeExp {
  const where = 'exp.let'
  if (items.length < 2) throw new TypeError(`${where} needs at least one exp.def and a scope expression, got ${items.length} arguments`)
  const parts: Buffer[] = []
  items.slice(0, -1).forEach((d, i) => {
    if (!(d instanceof ExpDef)) throw new TypeError(`${where}: argument ${i + 1} must be a definition made with exp.def, got ${describe(d)}`)
    parts.push(rawStr(d.name), d.exp._bytes)
  })
  parts.push(arg(items[items.length - 1], 'scope (last argument)', where))
  return node(OP.LET, ...parts)
}

/** The value of a variable defined by {@link let_ | let}. Exported as `exp.var`. */
export function var_(name: string): AerospikeExp {
  return node(OP.VAR, rawStr(varName(name, 'exp.var')))
}

/** The "remove" result: an expression write of it deletes the bin (with `ALLOW_DELETE`). */
export function removeResult(): AerospikeExp {
  return node(OP.REMOVE_RESULT)
}
/** Alias of {@link removeResult}. */
export const resultRemove = removeResult

// ---------------------------------------------------------------------------------------------
// Expression operation flags
// ---------------------------------------------------------------------------------------------

/** Flags of `exp.operations.read`. */
export const expReadFlags = Object.freeze({
  DEFAULT: 0,
  /** An expression that cannot be evaluated answers nil instead of failing the command. */
  EVAL_NO_FAIL: 16,
})
/** The values of `expReadFlags`, as a type (the official client declares `expReadFlags` as an enum). */
export type expReadFlags = (typeof expReadFlags)[keyof typeof expReadFlags]

/** Flags of `exp.operations.write`; combine with `|`. */
export const expWriteFlags = Object.freeze({
  DEFAULT: 0,
  /** Only create the bin: an existing bin fails the command (BIN_EXISTS_ERROR). */
  CREATE_ONLY: 1,
  /** Only update the bin: a missing bin fails the command (BIN_NOT_FOUND). */
  UPDATE_ONLY: 2,
  /** A nil result deletes the bin. */
  ALLOW_DELETE: 4,
  /** Skip the write silently instead of failing when a flag above denies it. */
  POLICY_NO_FAIL: 8,
  /** An expression that cannot be evaluated is skipped instead of failing the command. */
  EVAL_NO_FAIL: 16,
})
/** The values of `expWriteFlags`, as a type (the official client declares `expWriteFlags` as an enum). */
export type expWriteFlags = (typeof expWriteFlags)[keyof typeof expWriteFlags]
