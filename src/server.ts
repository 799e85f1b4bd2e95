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
}

/** A running embedded server. */
export interface EmbeddedServer {
  host: string
  port: number
  /** `host:port`, ready for `hosts` in a client config. */
  address: string
  /** Stops the server and closes its connections. */
  stop(): Promise<void>
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
  let s: import('../native').EmbeddedServer
  try {
    s = await native.EmbeddedServer.start({ host, port, namespaces, defaultTtl, clusterName })
  } catch (e) {
    throw fromNative(e)
  }
  const h = s.host
  return {
    host: h,
    port: s.port,
    address: `${h.includes(':') ? `[${h}]` : h}:${s.port}`,
    stop: () => s.stop().catch((e: unknown) => Promise.reject(fromNative(e))),
  }
}
