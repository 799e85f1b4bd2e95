/**
 * The embedded Aerospike-compatible server, for tests and local development.
 *
 * ```ts
 * const server = await startServer()            // free port on 127.0.0.1
 * const client = await connect({ hosts: server.address })
 * // …
 * await client.close(); await server.stop()
 * ```
 * It runs inside this process (on the addon's threads), starts in milliseconds, keeps all data
 * in memory, and cannot outlive the process. It does not keep Node's event loop alive.
 * @module
 */
import { fromNative } from './errors'
import { native } from './native'

/** Options for {@link startServer}. */
export interface ServerOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string
  /** Port; 0 picks a free one. @default 0 */
  port?: number
  /** Namespaces served. @default ['test', 'bar'] */
  namespaces?: string[]
  /** TTL in seconds for writes that use the namespace default (0 = never expire). @default 0 */
  defaultTtl?: number
  /** Cluster name reported to clients. @default 'aerospike-napi' */
  clusterName?: string
  /**
   * Security as Aerospike Enterprise has it: every connection must log in, and every command is
   * checked against the user's roles. `true` starts with one user, `admin`/`admin` with the
   * `user-admin` role (as a new Enterprise server does); an object names the users instead.
   * @default false
   */
  security?: boolean | SecurityOptions
  /**
   * TLS on the service port: it then speaks only TLS. Connect with `tls: { cafile }` (and
   * `certfile`/`keyfile` for mutual TLS) and hosts as `addr:tlsname:port`.
   */
  tls?: ServerTlsOptions
}

/** The certificate of a TLS embedded server (PEM text or the bytes of a PEM file). */
export interface ServerTlsOptions {
  /** The server's certificate chain. */
  cert: string | Buffer
  /** Its private key. */
  key: string | Buffer
  /** A CA that client certificates are verified against (mutual TLS). */
  ca?: string | Buffer
  /** Refuse clients without a certificate signed by `ca`. @default false */
  requireClientCert?: boolean
  /** The TLS name advertised to clients (`peers-tls-std`). */
  name?: string
  /**
   * A plaintext port next to the TLS one, as a server with both `port` and `tls-port` has (0:
   * any free port; see {@link EmbeddedServer.clearPort}). Clients with `tls.forLoginOnly` log in
   * over TLS, then send their commands there (`service-clear-std` names it).
   */
  clearPort?: number
}

/** Checks `startServer`'s `tls` option and shapes it for the addon (PEM as text). */
function tlsOptions(v: unknown): import('../native').ServerTlsOptions | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object') throw new TypeError('tls must be an object')
  const o = v as Record<string, unknown>
  const pem = (name: string, required: boolean): string | undefined => {
    const x = o[name]
    if (x === undefined && !required) return undefined
    if (typeof x === 'string') return x
    if (x instanceof Uint8Array) return Buffer.from(x).toString('utf8')
    throw new TypeError(`tls.${name} must be PEM text or a Buffer`)
  }
  if (o.requireClientCert !== undefined && typeof o.requireClientCert !== 'boolean') throw new TypeError('tls.requireClientCert must be a boolean')
  if (o.name !== undefined && typeof o.name !== 'string') throw new TypeError('tls.name must be a string')
  const clearPort = o.clearPort
  if (clearPort !== undefined && (!Number.isInteger(clearPort) || (clearPort as number) < 0 || (clearPort as number) > 65535)) {
    throw new TypeError('tls.clearPort must be an integer from 0 to 65535')
  }
  return {
    cert: pem('cert', true)!,
    key: pem('key', true)!,
    ca: pem('ca', false),
    requireClientCert: o.requireClientCert as boolean | undefined,
    name: o.name as string | undefined,
    clearPort: clearPort as number | undefined,
  }
}

/** The users and session lifetime of a secured embedded server. */
export interface SecurityOptions {
  /** The users there are at start. @default [{ user: 'admin', password: 'admin', roles: ['user-admin'] }] */
  users?: SecurityUser[]
  /** Seconds a session token stays valid; clients log in again before it ends. @default 86400 */
  sessionTtl?: number
}

/** A user of {@link SecurityOptions}: roles are predefined (`read`, `read-write`, `user-admin`, …) or later created ones. */
export interface SecurityUser {
  user: string
  password: string
  roles: string[]
}

/** Checks `startServer`'s / `startCluster`'s `security` option and shapes it for the addon. */
function securityOptions(v: unknown): import('../native').SecurityOptions | undefined {
  if (v === undefined || v === false) return undefined
  if (v === true) return {}
  if (v === null || typeof v !== 'object') throw new TypeError('security must be a boolean or an object')
  const { users, sessionTtl } = v as SecurityOptions
  if (sessionTtl !== undefined && (!Number.isInteger(sessionTtl) || sessionTtl < 1 || sessionTtl > 0xffffffff)) throw new TypeError('security.sessionTtl must be a positive integer')
  if (users === undefined) return { sessionTtl }
  if (!Array.isArray(users)) throw new TypeError('security.users must be an array')
  return {
    sessionTtl,
    users: users.map((u, i) => {
      if (u === null || typeof u !== 'object' || typeof u.user !== 'string' || u.user.length === 0 || typeof u.password !== 'string') {
        throw new TypeError(`security.users[${i}] needs a user name and a password`)
      }
      if (!Array.isArray(u.roles) || u.roles.some((r) => typeof r !== 'string')) throw new TypeError(`security.users[${i}].roles must be an array of role names`)
      return { user: u.user, password: u.password, roles: [...u.roles] }
    }),
  }
}

/**
 * A fault the server injects into the requests it receives, to test how an application copes
 * with a slow, hung, dying or lying server.
 * - `delay`: answer after `ms` milliseconds;
 * - `hang`: never answer (the connection stays open until the client closes it);
 * - `close`: close the connection without answering;
 * - `close-mid-response`: send half of the answer, then close;
 * - `code`: answer a data command with result `code` instead of executing it;
 * - `garbage`: answer with bytes that are not a reply, then close.
 */
export type Fault =
  | { type: 'delay'; ms: number; count?: number; target?: FaultTarget }
  | { type: 'hang' | 'close' | 'close-mid-response' | 'garbage'; count?: number; target?: FaultTarget }
  | { type: 'code'; code: number; count?: number; target?: FaultTarget }

/** Which requests a fault applies to: data commands (default) or info requests (cluster tending). */
export type FaultTarget = 'commands' | 'info'

/** Fault injection and request counters of an embedded server. */
export interface ServerFaults {
  /** Applies `fault` to the next `fault.count` requests (default: every request until {@link clear}). */
  inject(fault: Fault): void
  /** Removes every fault. */
  clear(): void
  /** Data commands (single-record, batch, scan/query requests) the server has received. */
  commands(): number
  /** Info requests the server has received. */
  infoRequests(): number
  /** Bytes of data-command replies written to clients (counted per 64 KiB chunk, as the socket accepts them; info replies are not counted). */
  bytesSent(): number
  /** Closes the port and drops every connection, as a server going down would. Data is kept. */
  stopListener(): void
  /** Listens on the same address again. */
  startListener(): void
}

/** A running embedded server. */
export interface EmbeddedServer {
  host: string
  port: number
  /** `host:port`, ready for `hosts` in a client config. */
  address: string
  /** The plaintext port of a TLS server started with `tls.clearPort` (else undefined). */
  clearPort?: number
  /** Fault injection, for resilience tests. */
  faults: ServerFaults
  /** Stops the server and closes its connections. */
  stop(): Promise<void>
}

function faultSpec(f: Fault): import('../native').FaultSpec {
  if (f === null || typeof f !== 'object') throw new TypeError('fault must be an object')
  const count = f.count
  if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > 0xffffffff)) throw new TypeError('fault.count must be a positive integer')
  if (f.target !== undefined && f.target !== 'commands' && f.target !== 'info') throw new TypeError("fault.target must be 'commands' or 'info'")
  let value: number | undefined
  switch (f.type) {
    case 'delay':
      if (!Number.isInteger(f.ms) || f.ms < 0 || f.ms > 0xffffffff) throw new TypeError('fault.ms must be a non-negative integer')
      value = f.ms
      break
    case 'code':
      if (!Number.isInteger(f.code) || f.code < 0 || f.code > 255) throw new TypeError('fault.code must be a result code from 0 to 255')
      value = f.code
      break
    case 'hang':
    case 'close':
    case 'close-mid-response':
    case 'garbage':
      break
    default:
      throw new TypeError(`unknown fault type: ${String((f as { type: unknown }).type)}`)
  }
  return { kind: f.type, target: f.target, count, value }
}

/** Starts the embedded server. */
export async function startServer(options: ServerOptions = {}): Promise<EmbeddedServer> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object')
  const { host, port, namespaces, defaultTtl, clusterName } = options
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new TypeError('port must be an integer from 0 to 65535')
  if (defaultTtl !== undefined && (!Number.isInteger(defaultTtl) || defaultTtl < 0 || defaultTtl > 0xffffffff)) throw new TypeError('defaultTtl must be a non-negative integer')
  if (namespaces !== undefined && (!Array.isArray(namespaces) || namespaces.some((n) => typeof n !== 'string'))) throw new TypeError('namespaces must be an array of strings')
  if (host !== undefined && typeof host !== 'string') throw new TypeError('host must be a string')
  if (clusterName !== undefined && typeof clusterName !== 'string') throw new TypeError('clusterName must be a string')
  const security = securityOptions(options.security)
  const tls = tlsOptions(options.tls)
  let s: import('../native').EmbeddedServer
  try {
    s = await native.EmbeddedServer.start({ host, port, namespaces, defaultTtl, clusterName, security, tls })
  } catch (e) {
    throw fromNative(e)
  }
  const h = s.host
  return {
    host: h,
    port: s.port,
    address: `${h.includes(':') ? `[${h}]` : h}:${s.port}`,
    clearPort: s.clearPort ?? undefined,
    faults: {
      inject: (f: Fault) => s.injectFault(faultSpec(f)),
      clear: () => s.clearFaults(),
      commands: () => s.counters().commands,
      infoRequests: () => s.counters().infoRequests,
      bytesSent: () => s.counters().bytesSent,
      stopListener: () => s.setListening(false),
      startListener: () => s.setListening(true),
    },
    stop: () => s.stop().catch((e: unknown) => Promise.reject(fromNative(e))),
  }
}

/** Options for {@link startCluster}. */
export interface ClusterOptions {
  /** Number of nodes (1 to 16). @default 3 */
  nodes?: number
  /** Namespaces served. @default ['test', 'bar'] */
  namespaces?: string[]
  /** Security shared by every node (see {@link ServerOptions.security}). @default false */
  security?: boolean | SecurityOptions
}

/** A running embedded cluster. */
export interface EmbeddedCluster {
  /** `host:port` of every node started, `null` for stopped ones, in start order. */
  addresses(): Promise<Array<string | null>>
  /** The first live node's address: a seed for a client config. */
  seed(): Promise<string>
  /** Starts one more node; resolves with its address (clients discover it through peers). */
  addNode(): Promise<string>
  /** Stops node `index`; its partitions move to the other nodes (the data stays). */
  stopNode(index: number): Promise<void>
  /** Single-record commands that reached a node not owning their partition. */
  misrouted(): number
  /** The partition generation; it goes up whenever a node joins or leaves. */
  generation(): number
  /** Stops every node. */
  stop(): Promise<void>
}

/**
 * Starts several embedded server nodes on loopback ports, forming one cluster: each node owns a
 * share of the 4096 partitions, lists the others as peers, and hands its partitions to the
 * others when stopped. The nodes share one copy of the data.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<EmbeddedCluster> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object')
  const n = options.nodes ?? 3
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new TypeError('nodes must be an integer from 1 to 16')
  if (options.namespaces !== undefined && (!Array.isArray(options.namespaces) || options.namespaces.some((x) => typeof x !== 'string' || x.length === 0))) {
    throw new TypeError('namespaces must be an array of non-empty strings')
  }
  const security = securityOptions(options.security)
  let c: import('../native').EmbeddedCluster
  try {
    c = await native.EmbeddedCluster.start(n, options.namespaces, security)
  } catch (e) {
    throw fromNative(e)
  }
  const wrap = <T>(p: Promise<T>) => p.catch((e: unknown) => Promise.reject(fromNative(e)))
  return {
    addresses: async () => (await c.addresses()).map((a) => a ?? null),
    seed: async () => {
      const live = (await c.addresses()).find((a) => a !== null)
      if (!live) throw new TypeError('every node of this cluster is stopped')
      return live
    },
    addNode: () => wrap(c.addNode()),
    stopNode: (index: number) => {
      if (!Number.isInteger(index) || index < 0) return Promise.reject(new TypeError('index must be a non-negative integer'))
      return wrap(c.stopNode(index))
    },
    misrouted: () => c.misrouted(),
    generation: () => c.generation(),
    stop: () => wrap(c.stop()),
  }
}
