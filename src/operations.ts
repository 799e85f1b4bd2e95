/**
 * Record operations for {@link Client.operate}, with the official client's names:
 * `operations.write`, `read`, `incr` (alias `add`), `append`, `prepend`, `touch`, `delete`, and
 * the path operations `selectByPath` / `modifyByPath` (server 8.1+).
 * @module
 */
import { CdtOperation } from './cdt_operation'
import { type Writer, writeValue } from './codec'
import { Operation } from './operation'
import { Double } from './values'

// One operation of an `operate()` call: a record operation from this module, or a list, map,
// bitwise, HLL, expression or path operation; the class the non-record ones extend.
export { Operation }
export { selectByPath, modifyByPath, PathOperation } from './path_operations'

/** A record operation (the scalar ones of this module). */
export interface ScalarOperation extends Operation {
  readonly op: 'write' | 'read' | 'incr' | 'append' | 'prepend' | 'touch' | 'delete' | 'readAll' | 'readHeader'
}

const CODES: Record<ScalarOperation['op'], number> = {
  write: 0,
  read: 1,
  incr: 2,
  append: 3,
  prepend: 4,
  touch: 5,
  delete: 6,
  readAll: 7,
  readHeader: 8,
}

/** Sets a bin (a `null` value removes it). */
export function write(bin: string, value: unknown): ScalarOperation {
  return { op: 'write', bin, value }
}
/** Reads a bin. */
export function read(bin: string): ScalarOperation {
  return { op: 'read', bin }
}
/** Adds a number (integer or float, or a `Double`) to a bin, creating it if missing. */
export function incr(bin: string, value: number | bigint | Double): ScalarOperation {
  return { op: 'incr', bin, value }
}
/** Alias of {@link incr}. */
export const add = incr
/** Appends a string or bytes to a bin. */
export function append(bin: string, value: string | Buffer): ScalarOperation {
  return { op: 'append', bin, value }
}
/** Prepends a string or bytes to a bin. */
export function prepend(bin: string, value: string | Buffer): ScalarOperation {
  return { op: 'prepend', bin, value }
}
/** Resets the record's TTL (to `ttl` seconds when given) and bumps its generation. */
export function touch(ttl?: number): ScalarOperation {
  return { op: 'touch', ttl }
}
/** Deletes the record. */
function deleteOp(): ScalarOperation {
  return { op: 'delete' }
}
export { deleteOp as delete }
/** Reads every bin. */
export function readAll(): ScalarOperation {
  return { op: 'readAll' }
}
/** Reads only the record's metadata. */
export function readHeader(): ScalarOperation {
  return { op: 'readHeader' }
}

function checkBin(bin: unknown, i: number): string {
  if (typeof bin !== 'string' || bin.length === 0) throw new TypeError(`operations[${i}]: bin name must be a non-empty string`)
  if (Buffer.byteLength(bin) > 15) throw new TypeError(`operations[${i}]: bin name "${bin}" is longer than 15 bytes`)
  return bin
}

/** Appends the operations; returns whether any of them may write. */
export function writeOps(w: Writer, ops: unknown): boolean {
  if (!Array.isArray(ops)) throw new TypeError('operations must be an array')
  if (ops.length === 0) throw new TypeError('operations must not be empty')
  w.u32(ops.length)
  let writes = false
  ops.forEach((op: Operation, i) => {
    if (op instanceof CdtOperation) {
      const where = `operations[${i}] (${op.op})`
      op._check()
      checkBin(op.bin, i)
      w.u8(op._kind())
      op._encode(w, where)
      writes = true
      return
    }
    const o = op as ScalarOperation
    if (o === null || typeof o !== 'object' || !Object.hasOwn(CODES, o.op)) throw new TypeError(`operations[${i}] is not an operation`)
    w.u8(CODES[o.op])
    switch (o.op) {
      case 'write':
      case 'incr':
      case 'append':
      case 'prepend': {
        const bin = checkBin(o.bin, i)
        if (o.op === 'incr' && typeof o.value !== 'number' && typeof o.value !== 'bigint' && !(o.value instanceof Double)) {
          throw new TypeError(`operations[${i}]: incr needs a number, bigint or Double for bin "${bin}"`)
        }
        if ((o.op === 'append' || o.op === 'prepend') && typeof o.value !== 'string' && !(o.value instanceof Uint8Array)) {
          throw new TypeError(`operations[${i}]: ${o.op} needs a string or Buffer for bin "${bin}"`)
        }
        w.str(bin)
        writeValue(w, o.value === undefined ? null : o.value, `bin "${bin}"`)
        writes = true
        break
      }
      case 'read':
        w.str(checkBin(o.bin, i))
        break
      case 'touch':
      case 'delete':
        writes = true
        break
      default:
        break
    }
  })
  return writes
}
