/**
 * The filter expression of a policy (`policy.filterExpression`), in the base-policy section of
 * every request: `u8 0`, or `u8 1` and the packed expression (read by `crates/napi/src/exp.rs`).
 * @module
 * @internal
 */
import type { Writer } from '../codec'
import { packedExpression } from './core'

/** Appends `policy.filterExpression` (absent when `undefined` or `null`). */
export function writeFilterExpression(w: Writer, e: unknown, name: string): void {
  if (e === undefined || e === null) {
    w.u8(0)
    return
  }
  w.u8(1)
  w.bytes(packedExpression(e, `${name}.filterExpression`))
}
