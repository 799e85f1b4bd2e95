/**
 * User-defined functions (Lua modules registered on the server): calling one on a record
 * (`client.apply`), on many (`client.batchApply`, `BATCH_APPLY` rows), or on every record of a
 * query or scan in the background (`query.background`), and background operations
 * (`query.operate`) with the {@link Job} that tracks them.
 * @module
 */
import { settle, type Callback } from './callbacks'
import type { Client } from './client'
import { type Writer, writeValue } from './codec'
import { AerospikeError } from './errors'
import { language } from './enums'
import { Job } from './job'
import { native } from './native'

export { Job } from './job'

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
  for (let i = 0; i < args.length; i++) writeValue(w, args[i], `${where}.args[${i}]`)
}

/** Raises an `error=…` or `ERROR:` answer of a UDF info command. */
function checkUdfAnswer(answer: string, what: string): void {
  const value = answer.includes('\t') ? answer.slice(answer.indexOf('\t') + 1) : answer
  if (/^error=|ERROR:/i.test(value.trim())) {
    throw new AerospikeError(`${what}: ${value.trim()}`, 100)
  }
}

/** The modules listed in one node's `udf-list` answer. */
function listedModules(answer: string): string[] {
  const line = answer.split('\n')[0] ?? ''
  const value = line.includes('\t') ? line.slice(line.indexOf('\t') + 1) : line
  const out: string[] = []
  for (const entry of value.split(';')) {
    const m = /(?:^|,)filename=([^,]*)/.exec(entry)
    if (m?.[1]) out.push(m[1])
  }
  return out
}

/** Waits for a UDF module to be registered on, or removed from, every node of the cluster. */
export class UdfJob extends Job<Record<string, string[]>> {
  static readonly REGISTER = 'register'
  static readonly UNREGISTER = 'unregister'

  constructor(
    client: Client,
    public udfModule: string,
    public command: string,
  ) {
    super(client, 0, 'udf')
  }

  /** Whether every node lists the module (register) or none does (unregister). */
  // `any` (here and in `info`), so that a UdfJob is a `Job` (the official typings declare it one).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override hasCompleted(info: Record<string, string[]> | any): boolean {
    const expected = this.command === UdfJob.REGISTER
    return Object.values(info as Record<string, string[]>).every((mods) => mods.includes(this.udfModule) === expected)
  }

  /** The modules of every node, by node name (`{ [node]: string[] }`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override info(_policy?: unknown, callback?: Callback<any>): Promise<any> {
    if (typeof _policy === 'function') callback = _policy as never
    const p = this.client.infoAll('udf-list').then((answers) => {
      const out: Record<string, string[]> = {}
      for (const a of answers) out[a.host.node_id] = listedModules(a.info)
      return out
    })
    return settle(p, callback)
  }
}

/** The client-side copy of a module (for the final reduce of aggregations). */
function rememberModule(filename: string, content: Buffer | null): void {
  try {
    native.luaRegisterPackage(filename, content)
  } catch {
    // An older binding without aggregation support: nothing to remember.
  }
}

/**
 * Registers a Lua module: a file path (named after the file), or (this client's extension) Lua
 * source in a Buffer with its module name. Resolves with a {@link UdfJob}.
 */
export async function udfRegister(client: Client, source: string | Buffer, udfType?: unknown, name?: string, policy?: { timeout?: number } | null): Promise<UdfJob> {
  if (udfType !== undefined && udfType !== null && udfType !== language.LUA) {
    throw new AerospikeError('Invalid UDF language', -2)
  }
  let content: Buffer
  let filename: string
  if (Buffer.isBuffer(source)) {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('udfRegister: a module name is needed with source code')
    content = source
    filename = name
  } else if (typeof source === 'string' && source.length > 0) {
    const fs = await import('node:fs/promises')
    const path = await import('node:path')
    try {
      content = await fs.readFile(source)
    } catch (e) {
      throw new AerospikeError(`udfRegister: cannot read ${source}: ${(e as Error).message}`, -1)
    }
    filename = path.basename(source)
  } else {
    throw new TypeError('udfRegister: expected a file path or a Buffer of Lua source')
  }
  if (!filename.endsWith('.lua')) filename += '.lua'
  if (/[;:=\n\t]/.test(filename)) throw new TypeError('udfRegister: module name must not contain ; : = or line breaks')
  const b64 = content.toString('base64')
  checkUdfAnswer(await client.infoAny(`udf-put:filename=${filename};content=${b64};content-len=${b64.length};udf-type=LUA;`, policy ?? null), 'udfRegister')
  rememberModule(filename, content)
  return new UdfJob(client, filename, UdfJob.REGISTER)
}

/** Removes a registered module; resolves with a {@link UdfJob}. */
export async function udfRemove(client: Client, module: string, policy?: { timeout?: number } | null): Promise<UdfJob> {
  if (typeof module !== 'string' || module.length === 0 || /[;:=\n\t]/.test(module)) throw new TypeError('udfRemove: module must be a module file name')
  const filename = module.endsWith('.lua') ? module : `${module}.lua`
  checkUdfAnswer(await client.infoAny(`udf-remove:filename=${filename};`, policy ?? null), 'udfRemove')
  rememberModule(filename, null)
  return new UdfJob(client, filename, UdfJob.UNREGISTER)
}
