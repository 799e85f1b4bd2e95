/**
 * The mark of a built expression. Expressions are arrays (as the official client's are), so the
 * value encoders, which cannot import the expression class without an import cycle, tell them
 * from list values by this mark.
 * @module
 * @internal
 */

/** Set on `AerospikeExp.prototype`. */
export const EXPRESSION: unique symbol = Symbol('aerospike-napi.expression')

/** Whether `v` is a built expression (an `AerospikeExp`). */
export function isExpression(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { [EXPRESSION]?: boolean })[EXPRESSION] === true
}
