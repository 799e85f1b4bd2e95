/**
 * Bitwise operations on bytes bins for {@link Client.operate}, with the official client's names,
 * signatures and constants (`bitwise.set`, `bitwise.add(...).onOverflow(...)`, …), plus
 * `setInt` and `count` (which the official client lacks, named as in the other clients).
 * @module
 */
import { type ArgEncoder, CdtOperation, KIND, type OpTable, writeOpHead, checkPolicy, flagBits, oneOf, seq, writeInt } from './cdt_operation'
import { BIT_OP as B } from './cdt_opcodes'
import type { Writer } from './codec'
import { describe } from './value'

/** Write flags of a {@link BitwisePolicy}; combine with `|`. */
export const writeFlags = Object.freeze({ DEFAULT: 0, CREATE_ONLY: 1, UPDATE_ONLY: 2, NO_FAIL: 4, PARTIAL: 8 })
/** The values of `writeFlags`, as a type (the official client declares `writeFlags` as an enum). */
export type writeFlags = (typeof writeFlags)[keyof typeof writeFlags]
/** Flags for {@link resize}; combine with `|`. */
export const resizeFlags = Object.freeze({ DEFAULT: 0, FROM_FRONT: 1, GROW_ONLY: 2, SHRINK_ONLY: 4 })
/** The values of `resizeFlags`, as a type (the official client declares `resizeFlags` as an enum). */
export type resizeFlags = (typeof resizeFlags)[keyof typeof resizeFlags]
/** What {@link add} and {@link subtract} do on overflow. */
export const overflow = Object.freeze({ FAIL: 0, SATURATE: 2, WRAP: 4 })
/** The values of `overflow`, as a type (the official client declares `overflow` as an enum). */
export type overflow = (typeof overflow)[keyof typeof overflow]

/** Write flags for bitwise writes. */
export class BitwisePolicy {
  writeFlags?: number
  constructor(props: { writeFlags?: number } = {}) {
    this.writeFlags = props.writeFlags
  }
}

/** A bitwise operation. */
export class BitwiseOperation extends CdtOperation {
  policy?: BitwisePolicy | { writeFlags?: number }
  bitOffset?: number
  bitSize?: number
  offset?: number
  size?: number
  flags?: number
  shift?: number
  value?: unknown
  sign?: boolean

  constructor(op: string, bin: string, props?: Partial<BitwiseOperation>) {
    super(`bitwise.${op}`, bin)
    if (props) Object.assign(this, props)
  }

  /** Sets the write flags ({@link BitwisePolicy}). */
  withPolicy(policy: BitwisePolicy): this {
    this.policy = policy
    return this
  }

  /** @internal */
  _kind(): number {
    return KIND.BIT
  }

  /** @internal Wire code, bin, arguments, write flags. */
  _encode(w: Writer, where: string): void {
    writeOpHead(this, OPS, 'bitwise', w, where)(w, this, where)
    w.u8(flagBits(checkPolicy(this.policy, where)?.writeFlags, 15, 'bitwise write flags', where))
  }
}

/** An add or subtract, with its overflow action. */
export class OverflowableBitwiseOp extends BitwiseOperation {
  overflowAction: number = overflow.FAIL

  /** Sets what happens on overflow ({@link overflow}). */
  onOverflow(action: number): this {
    this.overflowAction = action
    return this
  }
}

type Encoder = ArgEncoder<BitwiseOperation>

const int =
  (field: 'bitOffset' | 'bitSize' | 'offset' | 'size' | 'shift' | 'value'): Encoder =>
  (w, o, x) =>
    writeInt(w, o[field], field, x)
const bytes: Encoder = (w, o, x) => {
  if (!(o.value instanceof Uint8Array)) throw new TypeError(`${x}: value must be a Buffer, got ${describe(o.value)}`)
  w.bytes(o.value)
}
const bool =
  (field: 'sign' | 'value', required: boolean): Encoder =>
  (w, o, x) => {
    const v = o[field]
    if (typeof v === 'boolean') w.u8(v ? 1 : 0)
    else if (!required && (v === undefined || v === null)) w.u8(0)
    else throw new TypeError(`${x}: ${field} must be a boolean, got ${describe(v)}`)
  }
const range = [int('bitOffset'), int('bitSize')]
const arith: Encoder[] = [
  ...range,
  int('value'),
  bool('sign', false),
  (w, o, x) => w.u8(oneOf((o as OverflowableBitwiseOp).overflowAction, [0, 2, 4], 0, 'overflow action', x)),
]

/** Operation name → (wire op code, argument encoder). */
const OPS: OpTable<BitwiseOperation> = {
  'bitwise.resize': [B.RESIZE, seq(int('size'), (w, o, x) => w.u8(flagBits(o.flags, 7, 'resize flags', x)))],
  'bitwise.insert': [B.INSERT, seq(int('offset'), bytes)],
  'bitwise.remove': [B.REMOVE, seq(int('offset'), int('size'))],
  'bitwise.set': [B.SET, seq(...range, bytes)],
  'bitwise.or': [B.OR, seq(...range, bytes)],
  'bitwise.xor': [B.XOR, seq(...range, bytes)],
  'bitwise.and': [B.AND, seq(...range, bytes)],
  'bitwise.not': [B.NOT, seq(int('offset'), int('size'))],
  'bitwise.lshift': [B.LSHIFT, seq(...range, int('shift'))],
  'bitwise.rshift': [B.RSHIFT, seq(...range, int('shift'))],
  'bitwise.add': [B.ADD, seq(...arith)],
  'bitwise.subtract': [B.SUBTRACT, seq(...arith)],
  'bitwise.setInt': [B.SET_INT, seq(...range, int('value'))],
  'bitwise.get': [B.GET, seq(...range)],
  'bitwise.count': [B.COUNT, seq(...range)],
  'bitwise.lscan': [B.LSCAN, seq(...range, bool('value', true))],
  'bitwise.rscan': [B.RSCAN, seq(...range, bool('value', true))],
  'bitwise.getInt': [B.GET_INT, seq(...range, bool('sign', false))],
}

/** Resizes the bytes to `size` bytes ({@link resizeFlags}). Returns nothing. */
export function resize(bin: string, size: number, flags = 0): BitwiseOperation {
  return new BitwiseOperation('resize', bin, { size, flags })
}
/** Inserts bytes at `byteOffset`. Returns nothing. */
export function insert(bin: string, byteOffset: number, value: Buffer): BitwiseOperation {
  return new BitwiseOperation('insert', bin, { offset: byteOffset, value })
}
/** Removes `byteSize` bytes at `byteOffset`. Returns nothing. */
export function remove(bin: string, byteOffset: number, byteSize: number): BitwiseOperation {
  return new BitwiseOperation('remove', bin, { offset: byteOffset, size: byteSize })
}
/**
 * Overwrites `bitSize` bits at `bitOffset` with the bits of a Buffer, or with an integer
 * (as {@link setInt}). Returns nothing.
 */
export function set(bin: string, bitOffset: number, bitSize: number, value: number | Buffer): BitwiseOperation {
  if (value instanceof Uint8Array) return new BitwiseOperation('set', bin, { bitOffset, bitSize, value })
  if (Number.isSafeInteger(value)) return new BitwiseOperation('setInt', bin, { bitOffset, bitSize, value })
  throw new TypeError(`bitwise.set: value must be a Buffer or an integer, got ${describe(value)}`)
}
/** ORs the bits with a Buffer. Returns nothing. */
export function or(bin: string, bitOffset: number, bitSize: number, value: Buffer): BitwiseOperation {
  return new BitwiseOperation('or', bin, { bitOffset, bitSize, value })
}
/** XORs the bits with a Buffer. Returns nothing. */
export function xor(bin: string, bitOffset: number, bitSize: number, value: Buffer): BitwiseOperation {
  return new BitwiseOperation('xor', bin, { bitOffset, bitSize, value })
}
/** ANDs the bits with a Buffer. Returns nothing. */
export function and(bin: string, bitOffset: number, bitSize: number, value: Buffer): BitwiseOperation {
  return new BitwiseOperation('and', bin, { bitOffset, bitSize, value })
}
/** Negates the bits. Returns nothing. */
export function not(bin: string, bitOffset: number, bitSize: number): BitwiseOperation {
  return new BitwiseOperation('not', bin, { offset: bitOffset, size: bitSize })
}
/** Shifts the bits left by `shift`. Returns nothing. */
export function lshift(bin: string, bitOffset: number, bitSize: number, shift: number): BitwiseOperation {
  return new BitwiseOperation('lshift', bin, { bitOffset, bitSize, shift })
}
/** Shifts the bits right by `shift`. Returns nothing. */
export function rshift(bin: string, bitOffset: number, bitSize: number, shift: number): BitwiseOperation {
  return new BitwiseOperation('rshift', bin, { bitOffset, bitSize, shift })
}
/** Adds `value` to the (signed when `sign`) integer in the bits (`bitSize` ≤ 64). Returns nothing. */
export function add(bin: string, bitOffset: number, bitSize: number, value: number, sign?: boolean): OverflowableBitwiseOp {
  return new OverflowableBitwiseOp('add', bin, { bitOffset, bitSize, value, sign })
}
/** Subtracts `value` from the (signed when `sign`) integer in the bits. Returns nothing. */
export function subtract(bin: string, bitOffset: number, bitSize: number, value: number, sign?: boolean): OverflowableBitwiseOp {
  return new OverflowableBitwiseOp('subtract', bin, { bitOffset, bitSize, value, sign })
}
/** Overwrites the bits with an integer (`bitSize` ≤ 64). Returns nothing. */
export function setInt(bin: string, bitOffset: number, bitSize: number, value: number | bigint): BitwiseOperation {
  return new BitwiseOperation('setInt', bin, { bitOffset, bitSize, value })
}
/** Returns the bits as a Buffer. */
export function get(bin: string, bitOffset: number, bitSize: number): BitwiseOperation {
  return new BitwiseOperation('get', bin, { bitOffset, bitSize })
}
/** Returns the number of set bits. */
export function count(bin: string, bitOffset: number, bitSize: number): BitwiseOperation {
  return new BitwiseOperation('count', bin, { bitOffset, bitSize })
}
/** Returns the integer in the bits (signed when `sign`). */
export function getInt(bin: string, bitOffset: number, bitSize: number, sign?: boolean): BitwiseOperation {
  return new BitwiseOperation('getInt', bin, { bitOffset, bitSize, sign })
}
/** Returns the offset of the first bit equal to `value` from the left, or -1. */
export function lscan(bin: string, bitOffset: number, bitSize: number, value: boolean): BitwiseOperation {
  return new BitwiseOperation('lscan', bin, { bitOffset, bitSize, value })
}
/** Returns the offset of the last bit equal to `value`, or -1. */
export function rscan(bin: string, bitOffset: number, bitSize: number, value: boolean): BitwiseOperation {
  return new BitwiseOperation('rscan', bin, { bitOffset, bitSize, value })
}
