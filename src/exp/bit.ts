/**
 * Blob bit expressions (`exp.bit.*`), with the official client's names and argument orders
 * (sizes before offsets): modifies answer the whole modified blob, reads answer bits, counts,
 * scan positions or integers read from the blob. Offsets, sizes and values are expressions.
 * @module
 */
import { BIT_OP } from '../cdt_opcodes'
import { type AerospikeExp, SYS, arg, binCalls, intIn, packInt, type } from './core'

/** Bit op codes of the payload (wire protocol reference §7.7). */
const B = BIT_OP

/** The write flags a bit modify may carry (`bitwise.writeFlags`). */
export interface BitwisePolicyLike {
  writeFlags?: number
}

type Exp = AerospikeExp

const { where, flags, modify, read } = binCalls('bit', SYS.BITS, type.BLOB)

function exps(name: string, named: Array<[string, unknown]>): Buffer[] {
  return named.map(([n, v]) => arg(v, n, where(name)))
}

/** Resizes the blob to `byteSize` bytes (`flags`: `bitwise.resizeFlags`). */
export function reSize(bin: Exp, flags_: number, byteSize: Exp, policy: BitwisePolicyLike | null = null): Exp {
  const resize = packInt(intIn(flags_ ?? 0, 'flags', where('reSize'), 0, 7))
  return modify('reSize', B.RESIZE, [...exps('reSize', [['byteSize', byteSize]]), flags('reSize', policy), resize], bin)
}

/** Inserts the bytes `value` at `byteOffset`. */
export function insert(bin: Exp, value: Exp, byteOffset: Exp, policy: BitwisePolicyLike | null = null): Exp {
  return modify('insert', B.INSERT, [...exps('insert', [['byteOffset', byteOffset], ['value', value]]), flags('insert', policy)], bin)
}

/** Removes `byteSize` bytes at `byteOffset`. */
export function remove(bin: Exp, byteSize: Exp, byteOffset: Exp, policy: BitwisePolicyLike | null = null): Exp {
  return modify('remove', B.REMOVE, [...exps('remove', [['byteOffset', byteOffset], ['byteSize', byteSize]]), flags('remove', policy)], bin)
}

/** A modify of `bitSize` bits at `bitOffset` with one more operand (`value`, or `shift` as errors name it). */
const onBits = (name: string, op: number, operand = 'value') => (bin: Exp, value: Exp, bitSize: Exp, bitOffset: Exp, policy: BitwisePolicyLike | null = null): Exp =>
  modify(name, op, [...exps(name, [['bitOffset', bitOffset], ['bitSize', bitSize], [operand, value]]), flags(name, policy)], bin)

/** Overwrites `bitSize` bits at `bitOffset` with the bytes `value`. */
export const set = onBits('set', B.SET)
/** Or's the bytes `value` into `bitSize` bits at `bitOffset`. */
export const or = onBits('or', B.OR)
/** Xor's the bytes `value` into `bitSize` bits at `bitOffset`. */
export const xor = onBits('xor', B.XOR)
/** And's the bytes `value` into `bitSize` bits at `bitOffset`. */
export const and = onBits('and', B.AND)

/** Negates `bitSize` bits at `bitOffset`. */
export function not(bin: Exp, bitSize: Exp, bitOffset: Exp, policy: BitwisePolicyLike | null = null): Exp {
  return modify('not', B.NOT, [...exps('not', [['bitOffset', bitOffset], ['bitSize', bitSize]]), flags('not', policy)], bin)
}

/** Shifts `bitSize` bits at `bitOffset` left by `shift`. */
export const lShift = onBits('lShift', B.LSHIFT, 'shift')
/** Shifts `bitSize` bits at `bitOffset` right by `shift`. */
export const rShift = onBits('rShift', B.RSHIFT, 'shift')

const arith = (name: string, op: number) => (bin: Exp, action: number, value: Exp, bitSize: Exp, bitOffset: Exp, policy: BitwisePolicyLike | null = null): Exp => {
  const overflow = packInt(intIn(action ?? 0, 'action', where(name), 0, 7))
  return modify(name, op, [...exps(name, [['bitOffset', bitOffset], ['bitSize', bitSize], ['value', value]]), flags(name, policy), overflow], bin)
}

/** Adds `value` to the integer of `bitSize` bits at `bitOffset` (`action`: `bitwise.overflow`). */
export const add = arith('add', B.ADD)
/** Subtracts `value` from the integer of `bitSize` bits at `bitOffset`. */
export const subtract = arith('subtract', B.SUBTRACT)

/** Sets the integer of `bitSize` bits at `bitOffset` to `value`. */
export function setInt(bin: Exp, value: Exp, bitSize: Exp, bitOffset: Exp, policy: BitwisePolicyLike | null = null): Exp {
  return modify('setInt', B.SET_INT, [...exps('setInt', [['bitOffset', bitOffset], ['bitSize', bitSize], ['value', value]]), flags('setInt', policy)], bin)
}

/** The `bitSize` bits at `bitOffset`, as a blob. */
export function get(bin: Exp, bitSize: Exp, bitOffset: Exp): Exp {
  return read('get', type.BLOB, B.GET, exps('get', [['bitOffset', bitOffset], ['bitSize', bitSize]]), bin)
}

/** The number of bits set among `bitSize` bits at `bitOffset`. */
export function count(bin: Exp, bitSize: Exp, bitOffset: Exp): Exp {
  return read('count', type.INT, B.COUNT, exps('count', [['bitOffset', bitOffset], ['bitSize', bitSize]]), bin)
}

/** The position of the first bit equal to `value` (a boolean expression) from the left, or -1. */
export function lScan(bin: Exp, value: Exp, bitSize: Exp, bitOffset: Exp): Exp {
  return read('lScan', type.INT, B.LSCAN, exps('lScan', [['bitOffset', bitOffset], ['bitSize', bitSize], ['value', value]]), bin)
}

/** The position of the last bit equal to `value` (scanning from the right), or -1. */
export function rScan(bin: Exp, value: Exp, bitSize: Exp, bitOffset: Exp): Exp {
  return read('rScan', type.INT, B.RSCAN, exps('rScan', [['bitOffset', bitOffset], ['bitSize', bitSize], ['value', value]]), bin)
}

/** The integer of `bitSize` bits at `bitOffset`, signed when `sign`. */
export function getInt(bin: Exp, sign: boolean, bitSize: Exp, bitOffset: Exp): Exp {
  if (typeof sign !== 'boolean') throw new TypeError(`${where('getInt')}: sign must be a boolean`)
  return read('getInt', type.INT, B.GET_INT, [...exps('getInt', [['bitOffset', bitOffset], ['bitSize', bitSize]]), packInt(sign ? 1 : 0)], bin)
}
