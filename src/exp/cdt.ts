/**
 * What list and map expressions share: packing named arguments, and building a CDT read, modify
 * or remove call with the right result type and return type check.
 * @module
 * @internal
 */
import { type AerospikeExp, SYS, arg, call, contextType, packInt, readType, returnType, type } from './core'

/** The helpers of `exp.lists` (`map` false) or `exp.maps` (`map` true). */
export function cdtBuilders(map: boolean) {
  const where = (name: string) => `exp.${map ? 'maps' : 'lists'}.${name}`

  /** Expression arguments, by name, packed in the order given. */
  function exps(name: string, named: Array<[string, unknown]>): Buffer[] {
    return named.map(([n, v]) => arg(v, n, where(name)))
  }

  /** An optional range end: omitted (to the end) when `undefined` or `null`. */
  function optional(name: string, n: string, v: unknown): Buffer[] {
    return v === undefined || v === null ? [] : [arg(v, n, where(name))]
  }

  /** A read answering what `rt` asks for (`multi`: several elements may be selected). */
  function read(name: string, op: number, valueType: unknown, rt: unknown, multi: boolean, ctx: unknown, params: Buffer[], bin: AerospikeExp): AerospikeExp {
    const w = where(name)
    const r = returnType(rt, map, w, false)
    return call(readType(valueType, r, multi, w), SYS.CDT, ctx, op, [packInt(r), ...params], bin, w)
  }

  /** A modify, answering the modified bin. */
  function modify(name: string, op: number, ctx: unknown, params: Buffer[], bin: AerospikeExp): AerospikeExp {
    const w = where(name)
    return call(contextType(ctx, map ? type.MAP : type.LIST, w), SYS.CDT | SYS.MODIFY, ctx, op, params, bin, w)
  }

  /** A remove selection: a modify whose first argument is the return type. */
  function remove(name: string, op: number, ctx: unknown, rt: unknown, params: Buffer[], bin: AerospikeExp): AerospikeExp {
    const r = rt === undefined || rt === null ? 0 : returnType(rt, map, where(name), true)
    return modify(name, op, ctx, [packInt(r), ...params], bin)
  }

  return { where, exps, optional, read, modify, remove }
}
