/**
 * Expression operations for `client.operate()` (`exp.operations.read/write`), as in the official
 * client: `read` evaluates an expression and returns its value under the given name; `write`
 * evaluates it and stores the value in the bin.
 * @module
 */
import { CdtOperation } from '../cdt_operation'
import type { Writer } from '../codec'
import { AerospikeError } from '../errors'
import { status } from '../status'
import { type AerospikeExp, binName, intIn, invalidReason, packedExpression } from './core'

/** Operation kind code of the request format: after the list, map, bit and HLL ones (9–12). */
export const EXP_KIND = 13

/** An expression read or write of an `operate()` call. */
export class ExpOperation extends CdtOperation {
  /** The expression (or its base64 form, as the official client accepts). */
  readonly exp: AerospikeExp | string
  /** `exp.expReadFlags` / `exp.expWriteFlags`. */
  readonly flags: number

  /** @internal Use {@link read} or {@link write}. */
  constructor(op: 'exp.read' | 'exp.write', bin: string, exp: AerospikeExp | string, flags?: number) {
    super(op, binName(bin, `exp.operations.${op.slice(4)}`))
    this.exp = exp
    this.flags = flags ?? 0
  }

  /** @internal */
  _kind(): number {
    return EXP_KIND
  }

  /** @internal `u8 0 read / 1 write, str bin, u32 flags, bytes expression`. */
  _encode(w: Writer, where: string): void {
    // An expression built from arguments the official client only rejects here (a path
    // expression's value type or flags that are not numbers, …) fails as it does there.
    if (invalidReason(this.exp) !== undefined) throw new AerospikeError('Operations array invalid', status.ERR_PARAM)
    const write = this.op === 'exp.write'
    w.u8(write ? 1 : 0)
    w.str(binName(this.bin, where))
    w.u32(intIn(this.flags, 'flags', where, 0, write ? 31 : 16))
    w.bytes(packedExpression(this.exp, `${where}: exp`))
  }
}

/** Reads the value of `exp` into the operation's result under `bin` (nothing is stored). */
export function read(bin: string, exp: AerospikeExp | string, flags?: number): ExpOperation {
  return new ExpOperation('exp.read', bin, exp, flags)
}

/** Stores the value of `exp` in `bin`. */
export function write(bin: string, exp: AerospikeExp | string, flags?: number): ExpOperation {
  return new ExpOperation('exp.write', bin, exp, flags)
}
