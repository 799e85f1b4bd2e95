/**
 * User-defined functions (Lua modules registered on the server): calling one on a record
 * (`client.apply`), on many (`client.batchApply`, `BATCH_APPLY` rows), or on every record of a
 * query or scan in the background (`query.background`), and background operations
 * (`query.operate`) with the {@link Job} that tracks them.
 * @module
 */
import type { Client } from './client'
import { Writer, writeValue } from './codec'
import { AerospikeError, fromNative } from './errors'
import type { NativeJob } from '../native'

/** A UDF call, with the official client's field names. */
export interface UDF {
  /** Registered module name (without `.lua`). */
  module: string
  /** Function name. */
  funcname: string
  /** Arguments after the record. */
  args?: unknown[]
}

/** @internal Encodes a UDF call: module, function, arguments. */
export function writeUdf(w: Writer, udf: unknown, where = 'udf'): void {
  if (udf === null || typeof udf !== 'object') throw new TypeError(`${where} must be an object { module, funcname, args? }`)
  const u = udf as UDF
  if (typeof u.module !== 'string' || u.module.length === 0) throw new TypeError(`${where}.module must be a non-empty string`)
  if (typeof u.funcname !== 'string' || u.funcname.length === 0) throw new TypeError(`${where}.funcname must be a non-empty string`)
  const args = u.args ?? []
  if (!Array.isArray(args)) throw new TypeError(`${where}.args must be an array`)
  w.str(u.module)
  w.str(u.funcname)
  w.u32(args.length)
  args.forEach((a, i) => writeValue(w, a, `${where}.args[${i}]`))
}

/** A background job on the server (a query or scan applying a UDF or operations). */
export class Job {
  constructor(
    readonly client: Client,
    private readonly native: NativeJob,
  ) {}

  /** The server's job id. */
  get jobID(): bigint {
    return BigInt(this.native.id)
  }

  /** Whether the job has finished on every node. */
  async checkStatus(): Promise<boolean> {
    try {
      return await this.native.done()
    } catch (e) {
      throw fromNative(e)
    }
  }

  /** Resolves once the job has finished (polling every `pollIntervalMs`). */
  async wait(pollIntervalMs = 100): Promise<void> {
    for (;;) {
      if (await this.checkStatus()) return
      await new Promise((r) => setTimeout(r, pollIntervalMs))
    }
  }

  /** The official client's name for {@link wait}. */
  waitUntilDone(pollIntervalMs = 100, callback?: (err: Error | null) => void): Promise<void> {
    const p = this.wait(pollIntervalMs)
    if (callback) p.then(() => callback(null), (e: Error) => callback(e))
    return p
  }
}

/** Raises an `error=…` or `ERROR:` answer of a UDF info command. */
function checkUdfAnswer(answer: string, what: string): void {
  const value = answer.includes('\t') ? answer.slice(answer.indexOf('\t') + 1) : answer
  if (/^error=|ERROR:/i.test(value.trim())) {
    throw new AerospikeError(`${what}: ${value.trim()}`, 100)
  }
}

/** Registers a Lua module (its source, or a file path) on the server under `name`. */
export async function udfRegister(client: Client, source: string | Buffer, name?: string): Promise<string> {
  let content: Buffer
  let filename: string
  if (Buffer.isBuffer(source)) {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('udfRegister: a module name is needed with source code')
    content = source
    filename = name
  } else if (typeof source === 'string' && source.length > 0) {
    const fs = await import('node:fs/promises')
    const path = await import('node:path')
    content = await fs.readFile(source)
    filename = name ?? path.basename(source)
  } else {
    throw new TypeError('udfRegister: expected a file path or a Buffer of Lua source')
  }
  if (!filename.endsWith('.lua')) filename += '.lua'
  if (/[;:=\n\t]/.test(filename)) throw new TypeError('udfRegister: module name must not contain ; : = or line breaks')
  const b64 = content.toString('base64')
  checkUdfAnswer(await client.infoAny(`udf-put:filename=${filename};content=${b64};content-len=${b64.length};udf-type=LUA;`), 'udfRegister')
  return filename
}

/** Removes a registered module. */
export async function udfRemove(client: Client, module: string): Promise<void> {
  if (typeof module !== 'string' || module.length === 0 || /[;:=\n\t]/.test(module)) throw new TypeError('udfRemove: module must be a module file name')
  const filename = module.endsWith('.lua') ? module : `${module}.lua`
  checkUdfAnswer(await client.infoAny(`udf-remove:filename=${filename};`), 'udfRemove')
}
