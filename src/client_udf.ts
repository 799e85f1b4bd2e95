/**
 * Lua UDFs of `Client`: `udfRegister()`, `udfRemove()` and `apply()` on one record (`batchApply`
 * is with the batch family). The module commands and the UDF encoding are in `udf.ts`.
 * @module
 */
import { Client } from './client'
import { rethrowInput, settle, splitCallback, type Callback } from './callbacks'
import { Reader, Writer } from './codec'
import { asKey, writeKey, type Key, type KeyOptions } from './key'
import { writeWritePolicy, type WritePolicy } from './policy'
import { udfRegister as register, udfRemove as remove, writeUdf, type UDF, type UdfJob } from './udf'

declare module './client' {
  interface Client {
    /**
     * Registers a Lua module from a file (named after the file): `udfRegister(path, [language],
     * [infoPolicy], [callback])`. Also takes Lua source in a Buffer with its module name:
     * `udfRegister(source, name)`. Resolves with a `UdfJob` whose `wait()` resolves once every node has it.
     */
    udfRegister(source: string | Buffer, ...rest: unknown[]): Promise<UdfJob>
    /** Removes a registered Lua module; resolves with a `UdfJob` (wait for every node). */
    udfRemove(module: string, policy?: unknown, callback?: Callback<UdfJob>): Promise<UdfJob>
    /** Runs a registered Lua UDF on a record; resolves with the function's return value (any
     * value, hence `any`: the official typings declare it a record). */
    apply(key: Key | KeyOptions, udf: UDF, policy?: WritePolicy | null | Callback<any>, callback?: Callback<any>): Promise<any>
  }
}

Client.prototype.udfRegister = function udfRegister(this: Client, source: string | Buffer, ...rest: unknown[]): Promise<UdfJob> {
  const [args, cb] = splitCallback(rest)
  let [udfType, policy] = args
  let name: string | undefined
  if (typeof udfType === 'string') [name, udfType] = [udfType, null]
  if (udfType !== null && typeof udfType === 'object') [policy, udfType] = [udfType, null]
  return settle(Promise.resolve().then(() => register(this, source, udfType, name, policy as never)).catch(rethrowInput), cb)
}

Client.prototype.udfRemove = function udfRemove(this: Client, module: string, policy?: unknown, callback?: Callback<UdfJob>): Promise<UdfJob> {
  if (typeof policy === 'function') [policy, callback] = [null, policy as Callback<UdfJob>]
  return settle(Promise.resolve().then(() => remove(this, module, policy as never)).catch(rethrowInput), callback)
}

Client.prototype.apply = function apply(this: Client, key: Key | KeyOptions, udf: UDF, policy?: WritePolicy | null | Callback<any>, callback?: Callback<any>): Promise<any> {
  if (typeof policy === 'function') [policy, callback] = [null, policy]
  const run = async () => {
    const k = asKey(key)
    const w = new Writer(128)
    writeKey(w, k)
    writeWritePolicy(w, this._policy('write', policy))
    writeUdf(w, udf)
    const req = w.finish()
    const res = await this._call((n) => n.apply(req))
    return new Reader(res).value()
  }
  return settle(this._stats.track('apply', run().catch(rethrowInput)), callback)
}
