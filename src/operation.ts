/**
 * The base class of every operation of an `operate()` call, as the official client exports it
 * (`operations.Operation`): list, map, bitwise, HLL, expression and path operations extend it.
 * @module
 */

/** One operation of an `operate()` call: `op` names it, `bin` is the bin it works on. */
export class Operation {
  /** The operation (for example `'read'`, `'lists.append'`, `'selectByPath'`). */
  readonly op: string
  /** The bin the operation works on (none for record operations such as `touch`). */
  readonly bin?: string
  /** The value the operation writes, when it writes one. */
  readonly value?: unknown
  /** The record's new time-to-live (`touch`). */
  readonly ttl?: number

  /** An operation `op` on `bin`, with the arguments in `props` (as the official constructor). */
  constructor(op: string, bin?: string, props?: Record<string, unknown>) {
    this.op = op
    this.bin = bin
    if (props) Object.assign(this, props)
  }
}
