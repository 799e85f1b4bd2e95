/**
 * Info commands, to any node or to chosen ones, and the node list: `infoAny()`, `getNodes()`,
 * `infoAll()`, `infoNode()`, `info(request, host)`, as the official client has them.
 * @module
 */
import { Client } from './client'
import { rethrowInput, settle, splitCallback, type Callback } from './callbacks'
import type { InfoPolicyOptions } from './policies'
import { infoCommands } from './info'

/** A cluster node, as `getNodes()` lists it. */
export interface NodeInfo {
  /** The node's name (its id). */
  name: string
  /** `host:port`. */
  address: string
}

/** One node's answer to `infoAll()`. */
export interface InfoAllResponse {
  host: { node_id: string }
  info: string
}


declare module './client' {
  interface Client {
    /**
     * Sends info commands to a node and resolves with the raw response text
     * (`name\tvalue\n` per command).
     */
    infoAny(callback: Callback<string>): Promise<string>
    infoAny(request: string | null | undefined, callback: Callback<string>): Promise<string>
    infoAny(request?: string | null, policy?: { timeout?: number } | null | Callback<any>, callback?: Callback<string>): Promise<string>
    /** The nodes the client currently sees. */
    getNodes(): NodeInfo[]
    /** Sends the info request to every node; resolves with each node's response. */
    infoAll(request?: string | null, policy?: InfoPolicyOptions | null, callback?: Callback<InfoAllResponse[]>): Promise<InfoAllResponse[]>
    /** Sends the info request to the node named `node.name`. */
    infoNode(request: string | null, node: { name: string }, policy?: InfoPolicyOptions | null, callback?: Callback<string>): Promise<string>
    /** Sends the info request to the node at `host` (`'addr:port'` or `{ addr, port }`). */
    info(request: string | null, host: string | { addr: string; port?: number }, policy?: InfoPolicyOptions | null, callback?: Callback<string>): Promise<string>
  }
}

const commands = infoCommands

function timeoutOf(policy: unknown): number | undefined {
  if (policy === undefined || policy === null) return undefined
  if (typeof policy !== 'object') throw new TypeError('info policy must be an object')
  const p = policy as InfoPolicyOptions
  const t = p.timeout ?? p.totalTimeout
  if (t === undefined || t === null) return undefined
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) throw new TypeError('info policy timeout must be a non-negative integer')
  return t
}

function hostAddress(host: unknown): string {
  if (typeof host === 'string') {
    const m = /^(\[[^\]]+\]|[^:]+)(?::[^:]+)?(?::(\d+))?$/.exec(host.trim())
    if (!m) throw new TypeError(`invalid host "${host}"`)
    return `${m[1]}:${m[2] ?? 3000}`
  }
  if (host && typeof host === 'object' && typeof (host as { addr?: unknown }).addr === 'string') {
    const h = host as { addr: string; port?: number }
    return `${h.addr}:${h.port ?? 3000}`
  }
  throw new TypeError('host must be "addr:port" or { addr, port }')
}

Client.prototype.infoAny = function infoAny(this: Client, ...args: unknown[]): Promise<string> {
  const [[request, policy], cb] = splitCallback(args)
  const run = async () => {
    const cmds = commands(request)
    const timeout = (policy as { timeout?: number } | null | undefined)?.timeout
    return this._stats.track('info', this._call((n) => n.info(cmds, timeout, undefined)))
  }
  return settle(run().catch(rethrowInput), cb)
}

Client.prototype.getNodes = function (this: Client): NodeInfo[] {
  if (!this._native) return []
  return this._native.nodeStats().map((n) => ({ name: n.name, address: n.address }))
}

Client.prototype.infoAll = function (this: Client, ...args: unknown[]): Promise<InfoAllResponse[]> {
  const [[request, policy], cb] = splitCallback(args)
  const run = async () => {
    const cmds = commands(request)
    const timeout = timeoutOf(policy)
    const nodes = this.getNodes()
    return Promise.all(
      nodes.map(async (node) => ({
        host: { node_id: node.name },
        info: await this._stats.track('info', this._call((n) => n.info(cmds, timeout, node.name))),
      })),
    )
  }
  return settle(run().catch(rethrowInput), cb)
}

Client.prototype.infoNode = function (this: Client, ...args: unknown[]): Promise<string> {
  const [[request, node, policy], cb] = splitCallback(args)
  const run = async () => {
    const cmds = commands(request)
    if (!node || typeof node !== 'object' || typeof (node as { name?: unknown }).name !== 'string') throw new TypeError('node must be { name } (from getNodes())')
    const name = (node as { name: string }).name
    return this._stats.track('info', this._call((n) => n.info(cmds, timeoutOf(policy), name)))
  }
  return settle(run().catch(rethrowInput), cb)
}

Client.prototype.info = function (this: Client, ...args: unknown[]): Promise<string> {
  const [[request, host, policy], cb] = splitCallback(args)
  const run = async () => {
    const cmds = commands(request)
    let target = host === undefined || host === null ? undefined : hostAddress(host)
    // A seed written differently from the node's own address (a host name): one node is that node.
    const nodes = this.getNodes()
    if (target !== undefined && !nodes.some((n) => n.address === target) && nodes.length === 1) target = undefined
    return this._stats.track('info', this._call((n) => n.info(cmds, timeoutOf(policy), target)))
  }
  return settle(run().catch(rethrowInput), cb)
}
