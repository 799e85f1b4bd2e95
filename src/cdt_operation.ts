/**
 * What list, map, bitwise and HyperLogLog operations share: the base class `operate()` knows,
 * argument checks that throw a `TypeError` naming the operation, and their request encoding
 * (read by `crates/napi/src/cdt_ops.rs`).
 * @module
 * @internal
 */
import { CdtContext, ctxType } from './cdt_context'
import { RETURN_INVERTED } from './cdt_opcodes'
import { type Writer, writeValue } from './codec'
import { Operation } from './operation'
import { describe, isI64 } from './value'

/** Operation kind codes of the request format, after the scalar ones (0–8). */
export const KIND = { LIST: 9, MAP: 10, BIT: 11, HLL: 12 } as const

/**
 * Base of every list, map, bitwise and HLL operation. `op` names the operation (for example
 * `'lists.append'`), `bin` the bin it works on; the other fields are its arguments, named as in
 * the official client.
 */
export abstract class CdtOperation extends Operation {
  constructor(
    readonly op: string,
    readonly bin: string,
  ) {
    super(op, bin)
  }

  /**
   * @internal Checks what the official client only checks when a command converts the
   * operation (before the bin name is); throws the error the command fails with.
   */
  _check(): void {}

  /** @internal Kind code of the request format. */
  abstract _kind(): number

  /** @internal Appends the operation's arguments; `where` names it in errors. */
  abstract _encode(w: Writer, where: string): void
}

/** Resolves `withContext`'s argument: a Context, or a function that fills a new one. */
export function toContext(contextOrFunction: unknown): CdtContext {
  if (contextOrFunction instanceof CdtContext) return contextOrFunction
  if (typeof contextOrFunction === 'function') {
    const ctx = new CdtContext()
    contextOrFunction(ctx)
    return ctx
  }
  throw new TypeError(`withContext needs a cdt.Context or a function that fills one, got ${describe(contextOrFunction)}`)
}

const CTX_TYPES: number[] = Object.values(ctxType)
const POSITIONS: number[] = [ctxType.LIST_INDEX, ctxType.LIST_RANK, ctxType.MAP_INDEX, ctxType.MAP_RANK]

/** Writes the context: `u8 n`, then per level `u8 type (with create flags)` and a value. */
export function writeContext(w: Writer, ctx: unknown, where: string): void {
  if (ctx === undefined || ctx === null) {
    w.u8(0)
    return
  }
  if (!(ctx instanceof CdtContext)) throw new TypeError(`${where}: context must be a cdt.Context, got ${describe(ctx)}`)
  const items = ctx.items
  if (!Array.isArray(items) || items.length > 255) throw new TypeError(`${where}: context must have at most 255 levels`)
  w.u8(items.length)
  items.forEach((item, i) => {
    if (!Array.isArray(item) || typeof item[0] !== 'number') throw new TypeError(`${where}: context level ${i} is malformed`)
    const [type, value] = item
    const base = type & 0x3f
    const creates = type !== base && (base === ctxType.LIST_INDEX || base === ctxType.MAP_KEY)
    if (!Number.isInteger(type) || type < 0 || type > 0xff || !CTX_TYPES.includes(base) || (type !== base && !creates)) {
      throw new TypeError(`${where}: context level ${i} has unknown type ${describe(type)}`)
    }
    if (value === undefined) throw new TypeError(`${where}: context level ${i} has no value`)
    if (POSITIONS.includes(base) && !(typeof value === 'number' && Number.isSafeInteger(value))) {
      throw new TypeError(`${where}: context level ${i} needs an integer position, got ${describe(value)}`)
    }
    w.u8(type)
    writeValue(w, value, `${where} context[${i}]`)
  })
}

/** An integer argument as i64 (numbers must be safe integers; bigints within 64 bits). */
export function writeInt(w: Writer, v: unknown, name: string, where: string): void {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new TypeError(`${where}: ${name} must be an integer, got ${describe(v)}`)
    w.int(v)
  } else if (typeof v === 'bigint') {
    if (!isI64(v)) throw new TypeError(`${where}: ${name} ${v} is outside the 64-bit integer range`)
    w.i64(v)
  } else {
    throw new TypeError(`${where}: ${name} must be an integer, got ${describe(v)}`)
  }
}

/** An optional integer: `u8 0`, or `u8 1` and the i64. `null` counts as absent. */
export function writeOptInt(w: Writer, v: unknown, name: string, where: string): void {
  if (v === undefined || v === null) {
    w.u8(0)
    return
  }
  w.u8(1)
  writeInt(w, v, name, where)
}

/** A required value of any storable type. */
export function writeArg(w: Writer, v: unknown, name: string, where: string): void {
  if (v === undefined) throw new TypeError(`${where}: ${name} is required`)
  writeValue(w, v, `${where} ${name}`)
}

/** A required array of values, written as one list value. */
export function writeArray(w: Writer, v: unknown, name: string, where: string): void {
  if (!Array.isArray(v)) throw new TypeError(`${where}: ${name} must be an array, got ${describe(v)}`)
  writeValue(w, v, `${where} ${name}`)
}

/** A range bound: `null`/`undefined` means open (nil on the wire). */
export function writeBound(w: Writer, v: unknown, name: string, where: string): void {
  writeValue(w, v === undefined ? null : v, `${where} ${name}`)
}

/** A flag set: an integer made only of the `allowed` bits (`undefined` = 0). */
export function flagBits(v: unknown, allowed: number, name: string, where: string): number {
  if (v === undefined || v === null) return 0
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > allowed || (v & ~allowed) !== 0) {
    throw new TypeError(`${where}: unknown ${name} ${describe(v)}`)
  }
  return v
}

/** One of the listed values (`undefined` = `dflt`). */
export function oneOf(v: unknown, values: readonly number[], dflt: number, name: string, where: string): number {
  if (v === undefined || v === null) return dflt
  if (typeof v !== 'number' || !values.includes(v)) throw new TypeError(`${where}: unknown ${name} ${describe(v)}`)
  return v
}

/** The INVERTED return type bit. */
export const INVERTED = RETURN_INVERTED

/** A return type: one of `selectors`, optionally with the INVERTED bit (`undefined` = NONE). */
export function returnTypeBits(v: unknown, selectors: readonly number[], where: string, inverted = false): number {
  let rt = 0
  if (v !== undefined && v !== null) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 * INVERTED || !selectors.includes(v % INVERTED)) {
      throw new TypeError(`${where}: unknown return type ${describe(v)}`)
    }
    rt = v
  }
  return inverted ? rt | INVERTED : rt
}

/** A policy argument must be an object when given. */
export function checkPolicy(p: unknown, where: string): Record<string, unknown> | undefined {
  if (p === undefined || p === null) return undefined
  if (typeof p !== 'object') throw new TypeError(`${where}: policy must be an object, got ${describe(p)}`)
  return p as Record<string, unknown>
}

/** Writes an operation's arguments; `where` names the operation in errors. */
export type ArgEncoder<O> = (w: Writer, o: O, where: string) => void

/** Runs argument encoders one after another. */
export function seq<O>(...parts: ArgEncoder<O>[]): ArgEncoder<O> {
  return (w, o, where) => {
    for (const p of parts) p(w, o, where)
  }
}

/** The position, count and value arguments list and map operations both take. */
interface PositionArgs {
  index?: unknown
  rank?: unknown
  count?: unknown
  value?: unknown
  values?: unknown
}

/** Encoders of the arguments list and map operations share, each named after its field. */
export const POSITION_ARGS = {
  index: (w: Writer, o: PositionArgs, x: string) => writeInt(w, o.index, 'index', x),
  rank: (w: Writer, o: PositionArgs, x: string) => writeInt(w, o.rank, 'rank', x),
  count: (w: Writer, o: PositionArgs, x: string) => writeOptInt(w, o.count, 'count', x),
  value: (w: Writer, o: PositionArgs, x: string) => writeArg(w, o.value, 'value', x),
  values: (w: Writer, o: PositionArgs, x: string) => writeArray(w, o.values, 'values', x),
} as const

/** Operations by name (`'lists.append'`, …): wire op code and argument encoder. */
export type OpTable<O> = Record<string, [number, ArgEncoder<O>]>

/**
 * Appends the wire code and bin of operation `o` of table `ops` and returns its argument
 * encoder; `noun` names the kind in the error for an operation the table does not have.
 */
export function writeOpHead<O extends CdtOperation>(o: O, ops: OpTable<O>, noun: string, w: Writer, where: string): ArgEncoder<O> {
  const entry = ops[o.op]
  if (!entry) throw new TypeError(`${where}: unknown ${noun} operation ${describe(o.op)}`)
  w.u8(entry[0])
  w.str(o.bin)
  return entry[1]
}

/**
 * Adds the get and remove forms of each selection to `ops` (operation name → wire code and
 * argument encoder). A selection is what follows `get` / `remove` in its names, its get and
 * remove codes, and its arguments; `rt` writes the return type after them.
 */
export function addSelections<O>(
  ops: OpTable<O>,
  prefix: string,
  selections: Array<[string, number, number, ArgEncoder<O>]>,
  rt: ArgEncoder<O>,
): void {
  for (const [name, get, remove, args] of selections) {
    const encode: ArgEncoder<O> = (w, o, where) => {
      args(w, o, where)
      rt(w, o, where)
    }
    ops[`${prefix}.get${name}`] = [get, encode]
    ops[`${prefix}.remove${name}`] = [remove, encode]
  }
}
