/**
 * Path operations (server 8.1+): `operations.selectByPath` and `operations.modifyByPath`, the
 * `operate()` forms of `exp.selectByPath` / `exp.modifyByPath` on a bin named directly; their
 * context levels can select several children (`cdt.Context#addAllChildren`, …).
 *
 * As in the official client, the builders check only the context; a bin, flags or modify
 * expression that is not one fails the command with `ERR_PARAM` "Operations array invalid".
 *
 * Request encoding (kind 14, for the native layer): `u8 0 select / 1 modify, str bin, u32 flags,
 * bytes context, [bytes modify expression]`, the context packed flat as path expressions carry
 * it (`[type, value, …]`, readable with the `aerospike` crate's `ctx_from_bytes`) and the flags
 * as given. On the wire this is a CDT read (select) or CDT modify op whose payload is
 * `[0xfe, ctx, flags]`, or `[0xfe, ctx, flags | 4, expression]` for a modify.
 * @module
 */
import type { CdtContext } from './cdt_context'
import { CdtOperation } from './cdt_operation'
import type { Writer } from './codec'
import { AerospikeError } from './errors'
import { AerospikeExp, invalidReason } from './exp/core'
import { packPathContext, pathContext } from './exp/path'
import { status } from './status'

/** Operation kind code of the request format: after the expression one (13). */
export const PATH_KIND = 14

/** What a command with a path operation the official client cannot convert fails with. */
function invalid(): AerospikeError {
  return new AerospikeError('Operations array invalid', status.ERR_PARAM)
}

/** A select or modify by path of an `operate()` call; build it with {@link selectByPath} / {@link modifyByPath}. */
export class PathOperation extends CdtOperation {
  /** The context selecting the nodes. */
  readonly ctx: CdtContext
  /** `exp.pathSelectFlags` (select) or `exp.pathModifyFlags` (modify). */
  readonly flags: number
  /** The expression giving each selected node's new value (modify). */
  readonly modExp?: AerospikeExp

  /** @internal Use {@link selectByPath} or {@link modifyByPath}. */
  constructor(op: 'selectByPath' | 'modifyByPath', bin: string, ctx: CdtContext, flags: number, modExp?: AerospikeExp) {
    super(op, bin)
    this.ctx = ctx
    this.flags = flags
    if (op === 'modifyByPath') this.modExp = modExp
  }

  private get modify(): boolean {
    return this.op === 'modifyByPath'
  }

  /** @internal */
  _check(): void {
    if (typeof this.bin !== 'string') throw invalid()
    const f = this.flags
    if (typeof f !== 'number' || !Number.isInteger(f) || f < 0 || f > 0xffffffff) throw invalid()
    if (this.modify && (!(this.modExp instanceof AerospikeExp) || invalidReason(this.modExp) !== undefined)) throw invalid()
    try {
      packPathContext(pathContext(this.ctx), `operations.${this.op}`)
    } catch {
      throw invalid()
    }
  }

  /** @internal */
  _kind(): number {
    return PATH_KIND
  }

  /** @internal */
  _encode(w: Writer, where: string): void {
    this._check()
    w.u8(this.modify ? 1 : 0)
    w.str(this.bin)
    w.u32(this.flags)
    w.bytes(packPathContext(this.ctx, where))
    if (this.modify) w.bytes((this.modExp as AerospikeExp)._bytes)
  }
}

/**
 * Reads from the list or map bin `bin` the nodes `ctx` reaches; `flags`
 * (`exp.pathSelectFlags`) says what the result holds.
 */
export function selectByPath(bin: string, flags: number, ctx: CdtContext): PathOperation {
  return new PathOperation('selectByPath', bin, pathContext(ctx), flags)
}

/**
 * Replaces, in the list or map bin `bin`, every node `ctx` reaches with the value of `modExp`
 * (which sees the node through `exp.loopVar…`; `exp.removeResult()` removes it); `flags` are
 * `exp.pathModifyFlags`.
 */
export function modifyByPath(bin: string, modExp: AerospikeExp, flags: number, ctx: CdtContext): PathOperation {
  return new PathOperation('modifyByPath', bin, pathContext(ctx), flags, modExp)
}
