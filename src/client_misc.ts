/**
 * Smaller `Client` methods of the official API: `truncate`, base64 forms of expressions and CDT
 * contexts, `setXDRFilter`, seed-host changes, `updateLogging`, the `createExp…Index` shortcuts,
 * and the `captureStackTraces` switch.
 * @module
 */
import { Client } from './client'
import { rethrowInput, settle, splitCallback, type Callback } from './callbacks'
import { resolveHosts } from './config'
import { AerospikeError } from './errors'
import { AerospikeExp, packedExpression } from './exp/core'
import { indexDataType, type ExpIndexOptions, type IndexJob } from './indexes'
import { applyLogging, type Log } from './module_setup'
import { status } from './status'
import type { CdtContext } from './cdt_context'
import { contextFromBase64, contextToBase64 } from './context_codec'
import type { InfoPolicyOptions } from './policies'

export type ExpIndexShortcut = Omit<ExpIndexOptions, 'datatype'>

declare module './client' {
  interface Client {
    /** Deletes the records of a set (or a namespace when `set` is null) last updated before `beforeNanos`. */
    truncate(ns: string, set: string | null, beforeNanos?: number | bigint | null, callback?: Callback<void>): Promise<void>
    /** The base64 form of a packed expression (accepted wherever an expression is). */
    expressionToBase64(expression: AerospikeExp): string
    /** The base64 form of a CDT context. */
    contextToBase64(context: CdtContext): string
    /** The CDT context a {@link contextToBase64} string encodes. */
    contextFromBase64(serializedContext: string): CdtContext
    /**
     * Sets (or with `null` removes) the XDR filter of a datacenter and namespace. Resolves with
     * the server's info response (`xdr-set-filter:…\tok`).
     */
    setXDRFilter(expression: AerospikeExp | string | null, dataCenter: string, namespace: string, policy?: InfoPolicyOptions | null | Callback<any>, callback?: Callback<string>): Promise<string>
    /**
     * Adds a seed host. The Rust core reads its seeds at connect: the host is used by the next
     * `connect()` of this client (nodes joining the cluster are found by the tend anyway).
     */
    addSeedHost(hostname: string, port?: number): void
    /** Removes a seed host (takes effect at the next `connect()`, as {@link addSeedHost}). */
    removeSeedHost(hostname: string, port?: number): void
    /** Changes the log level and destination (`{ level, file }`), process-wide. */
    updateLogging(logConfig: Log): void
    createExpIntegerIndex(options: ExpIndexShortcut, policy?: unknown | Callback<IndexJob>, callback?: Callback<IndexJob>): Promise<IndexJob>
    createExpStringIndex(options: ExpIndexShortcut, policy?: unknown | Callback<IndexJob>, callback?: Callback<IndexJob>): Promise<IndexJob>
    createExpGeo2DSphereIndex(options: ExpIndexShortcut, policy?: unknown | Callback<IndexJob>, callback?: Callback<IndexJob>): Promise<IndexJob>
    createExpBlobIndex(options: ExpIndexShortcut, policy?: unknown | Callback<IndexJob>, callback?: Callback<IndexJob>): Promise<IndexJob>
    /**
     * When true, every command records where it was called from and appends that to the stack
     * of its error (a cost per command; off by default unless `AEROSPIKE_DEBUG_STACKTRACES` is set).
     */
    captureStackTraces: boolean
  }
}

Client.prototype.truncate = function truncate(this: Client, ns: string, set: string | null, beforeNanos?: number | bigint | null, callback?: Callback<void>): Promise<void> {
  const run = async () => {
    if (typeof ns !== 'string' || ns.length === 0) throw new TypeError('namespace must be a non-empty string')
    if (set !== null && set !== undefined && typeof set !== 'string') throw new TypeError('set must be a string or null')
    let before: number | undefined
    if (beforeNanos !== undefined && beforeNanos !== null) {
      const b = Number(beforeNanos)
      if (!Number.isFinite(b) || b < 0) throw new TypeError('beforeNanos must be a non-negative number')
      before = b
    }
    await this._stats.track('truncate', this._call((n) => n.truncate(ns, set ?? '', before)))
  }
  return settle(run().catch(rethrowInput), callback)
}

Client.prototype.expressionToBase64 = function (expression: unknown): string {
  if (!(expression instanceof AerospikeExp) && typeof expression !== 'string') throw new TypeError('Expression must be an array')
  return packedExpression(expression, 'expression').toString('base64')
}

Client.prototype.contextToBase64 = function (context: unknown): string {
  return contextToBase64(context)
}

Client.prototype.contextFromBase64 = function (serialized: unknown): CdtContext {
  return contextFromBase64(serialized)
}

/** An info-command field: no separators of the info protocol. */
function infoField(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.length === 0 || /[;:=\t\n]/.test(v)) throw new AerospikeError(`${name} must be a non-empty string without ; : = or whitespace separators`, status.ERR_PARAM)
  return v
}

Client.prototype.setXDRFilter = function (this: Client, ...args: unknown[]): Promise<string> {
  const [[expression, dataCenter, namespace, policy], cb] = splitCallback(args)
  const run = async () => {
    let exp: string
    if (expression === null || expression === undefined) exp = 'null'
    else if (expression instanceof AerospikeExp || (typeof expression === 'string' && expression.length > 0)) exp = packedExpression(expression, 'expression').toString('base64')
    else throw new AerospikeError('Invalid filter expression value', status.ERR_PARAM)
    const dc = infoField(dataCenter, 'dataCenter')
    const ns = infoField(namespace, 'namespace')
    const cmd = `xdr-set-filter:dc=${dc};namespace=${ns};exp=${exp}`
    const timeout = policy && typeof policy === 'object' ? ((policy as InfoPolicyOptions).timeout ?? (policy as InfoPolicyOptions).totalTimeout) : undefined
    if (policy !== undefined && policy !== null && typeof policy !== 'object') throw new TypeError('policy must be an object')
    const response = await this._stats.track('info', this._call((n) => n.info([cmd], timeout, undefined)))
    // A refusal comes back as `ERROR:<code>:<message>` (or FAIL:…): reject with that code.
    const m = /\t(ERROR|FAIL)(?::(-?\d+))?(?::([^\n]*))?/.exec(response)
    if (m) throw new AerospikeError(`setXDRFilter: ${m[3] ?? m[1]}`, m[2] !== undefined ? Number(m[2]) : status.ERR_SERVER)
    return response
  }
  return settle(run().catch(rethrowInput), cb)
}

function seedOf(client: Client, hostname: unknown, port: unknown): string {
  if (typeof hostname !== 'string' || hostname.length === 0) throw new TypeError('hostname must be a non-empty string')
  const p = port ?? (client.config as { port?: number }).port ?? 3000
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) throw new TypeError('port must be an integer from 1 to 65535')
  return resolveHosts(`${hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname}:${p}`)
}

function seeds(client: Client): string[] {
  return resolveHosts(client.config.hosts).split(',')
}

Client.prototype.addSeedHost = function (this: Client, hostname: string, port?: number): void {
  const seed = seedOf(this, hostname, port)
  const list = seeds(this)
  if (!list.includes(seed)) this.config.hosts = [...list, seed].join(',')
}

Client.prototype.removeSeedHost = function (this: Client, hostname: string, port?: number): void {
  const seed = seedOf(this, hostname, port)
  const list = seeds(this).filter((s) => s !== seed)
  // The crate needs at least one seed: removing the last one leaves the list empty only in name.
  if (list.length > 0) this.config.hosts = list.join(',')
}

Client.prototype.updateLogging = function (this: Client, logConfig: Log): void {
  applyLogging(logConfig)
}

function expIndex(datatype: number) {
  return function (this: Client, options: ExpIndexShortcut, policy?: unknown | Callback<IndexJob>, callback?: Callback<IndexJob>): Promise<IndexJob> {
    if (typeof policy === 'function') callback = policy as Callback<IndexJob>
    if (options === null || typeof options !== 'object') return settle(Promise.reject(new TypeError('options must be an object')), callback)
    return this.createExpIndex({ ...options, datatype } as ExpIndexOptions, callback)
  }
}
Client.prototype.createExpIntegerIndex = expIndex(indexDataType.NUMERIC)
Client.prototype.createExpStringIndex = expIndex(indexDataType.STRING)
Client.prototype.createExpGeo2DSphereIndex = expIndex(indexDataType.GEO2DSPHERE)
Client.prototype.createExpBlobIndex = expIndex(indexDataType.BLOB)

// captureStackTraces: while on, the commands of that client are shadowed by traced copies
// (own properties), so a client with it off pays nothing.
const TRACED = [
  'get', 'put', 'select', 'exists', 'existsWithMetadata', 'remove', 'operate', 'append', 'prepend', 'add', 'incr',
  'apply', 'batchRead', 'batchWrite', 'batchGet', 'batchExists', 'batchSelect', 'batchApply', 'batchRemove', 'truncate',
  'info', 'infoAny', 'infoAll', 'infoNode', 'createIndex', 'indexRemove', 'udfRegister', 'udfRemove',
] as const
const tracing = new WeakMap<Client, boolean>()

/** Appends the call site's frames to an error's stack. */
function withSite(e: unknown, site: Error): void {
  if (!(e instanceof Error) || !site.stack) return
  const frames = site.stack.split('\n').slice(1).join('\n')
  try {
    e.stack = `${e.stack ?? String(e)}\n${frames}`
  } catch {
    // A frozen error keeps its own stack.
  }
}

function traced(name: string, orig: (...a: unknown[]) => unknown): (...a: unknown[]) => unknown {
  const holder = {
    [name](this: Client, ...args: unknown[]): unknown {
      const site = new Error('called from')
      const last = args[args.length - 1]
      if (typeof last === 'function') {
        args[args.length - 1] = (err: unknown, ...rest: unknown[]) => {
          if (err) withSite(err, site)
          return (last as (...a: unknown[]) => unknown)(err, ...rest)
        }
      }
      let r: unknown
      try {
        r = orig.apply(this, args)
      } catch (e) {
        withSite(e, site)
        throw e
      }
      if (r instanceof Promise) {
        return r.catch((e: unknown) => {
          withSite(e, site)
          return Promise.reject(e)
        })
      }
      return r
    },
  }
  return holder[name]!
}

Object.defineProperty(Client.prototype, 'captureStackTraces', {
  configurable: true,
  enumerable: true,
  get(this: Client): boolean {
    const on = tracing.get(this)
    if (on !== undefined) return on
    // AEROSPIKE_DEBUG_STACKTRACES: on from the first look at the flag.
    const dflt = !!process.env.AEROSPIKE_DEBUG_STACKTRACES
    this.captureStackTraces = dflt
    return dflt
  },
  set(this: Client, on: unknown) {
    const enable = !!on
    tracing.set(this, enable)
    const self = this as unknown as Record<string, unknown>
    const proto = Client.prototype as unknown as Record<string, (...a: unknown[]) => unknown>
    for (const name of TRACED) {
      if (typeof proto[name] !== 'function') continue
      if (enable) self[name] = traced(name, proto[name]!)
      else delete self[name]
    }
  },
})
