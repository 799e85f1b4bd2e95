/**
 * Client configuration, with the official `aerospike` package's names.
 * @module
 */
import { circuitBreaker } from './circuit_breaker'
import type { BasePolicy, BatchPolicy, ReadPolicy, WritePolicy } from './policy'

/** A seed host. */
export interface Host {
  addr: string
  port?: number
}

/** Default policies per command kind. */
export interface Policies {
  read?: ReadPolicy
  write?: WritePolicy
  operate?: WritePolicy
  remove?: WritePolicy
  batch?: BatchPolicy
  info?: BasePolicy
}

/** Options for {@link connect}. */
export interface Config {
  /**
   * Seed hosts: `'host1:3000,host2:3000'`, `[{ addr, port }]` or `[[host, port]]`.
   * @default process.env.AEROSPIKE_HOSTS, else 'localhost:3000'
   */
  hosts?: string | Array<Host | [string, number] | string>
  /** User name (servers with security enabled). */
  user?: string
  /** Password for `user`. */
  password?: string
  /** Expected cluster name; nodes of another cluster are rejected. */
  clusterName?: string
  /** Timeout for opening a connection and for the initial cluster connect, ms. @default 1000 */
  connTimeoutMs?: number
  /** Maximum open connections per node. @default 100 */
  maxConnsPerNode?: number
  /** Connections opened per node up front. @default 0 */
  minConnsPerNode?: number
  /** Seconds a pooled connection may stay idle before it is closed; keep it below the
   * server's `proto-fd-idle-ms`. @default 55 */
  maxSocketIdle?: number
  /** Milliseconds between cluster tend rounds. @default 1000 */
  tenderInterval?: number
  /** Login timeout, ms. @default 5000 */
  loginTimeoutMs?: number
  /** Default policies per command kind. */
  policies?: Policies
}

const DEFAULT_PORT = 3000

function hostString(h: unknown, i: number): string {
  let addr: unknown
  let port: unknown = DEFAULT_PORT
  if (typeof h === 'string') {
    return parseHostList(h)
  } else if (Array.isArray(h)) {
    ;[addr, port = DEFAULT_PORT] = h
  } else if (h && typeof h === 'object') {
    addr = (h as Host).addr
    port = (h as Host).port ?? DEFAULT_PORT
  }
  if (typeof addr !== 'string' || addr.length === 0) throw new TypeError(`hosts[${i}]: addr must be a non-empty string`)
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TypeError(`hosts[${i}]: port must be an integer from 1 to 65535, got ${String(port)}`)
  }
  return `${addr.includes(':') && !addr.startsWith('[') ? `[${addr}]` : addr}:${port}`
}

/** Normalizes `'h1:3000,h2'` into `h1:3000,h2:3000`. */
function parseHostList(s: string): string {
  const parts = s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  if (parts.length === 0) throw new TypeError('hosts must name at least one host')
  return parts
    .map((p) => {
      const m = /^(\[[^\]]+\]|[^:]+)(?::([^:]+))?(?::(\d+))?$/.exec(p)
      if (!m) throw new TypeError(`invalid host "${p}"`)
      // host:tlsname:port is accepted and the TLS name ignored (TLS is not configured here).
      const portText = m[3] ?? m[2]
      const port = portText === undefined ? DEFAULT_PORT : Number(portText)
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`invalid port in host "${p}"`)
      return `${m[1]}:${port}`
    })
    .join(',')
}

/** The seed list as `host:port,host:port`. */
export function resolveHosts(hosts: Config['hosts']): string {
  const h = hosts ?? process.env.AEROSPIKE_HOSTS ?? 'localhost:3000'
  if (typeof h === 'string') return parseHostList(h)
  if (!Array.isArray(h) || h.length === 0) throw new TypeError('hosts must be a string or a non-empty array')
  return h.map(hostString).join(',')
}

function optInt(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new TypeError(`config.${name} must be an integer from ${min} to ${max}, got ${String(v)}`)
  }
  return v
}

function optStr(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw new TypeError(`config.${name} must be a string`)
  return v
}

/** Validates a config and produces the native connection settings. */
export function nativeConfig(config: Config) {
  if (config === null || typeof config !== 'object') throw new TypeError('config must be an object')
  const user = optStr(config.user, 'user')
  const password = optStr(config.password, 'password')
  if ((user === undefined) !== (password === undefined)) throw new TypeError('config.user and config.password go together')
  const connTimeoutMs = optInt(config.connTimeoutMs, 'connTimeoutMs', 1, 600_000)
  return {
    hosts: resolveHosts(config.hosts),
    user,
    password,
    clusterName: optStr(config.clusterName, 'clusterName'),
    connTimeoutMs,
    maxConnsPerNode: optInt(config.maxConnsPerNode, 'maxConnsPerNode', 1, 100_000),
    minConnsPerNode: optInt(config.minConnsPerNode, 'minConnsPerNode', 0, 100_000),
    maxSocketIdle: optInt(config.maxSocketIdle, 'maxSocketIdle', 0, 86_400),
    tenderInterval: optInt(config.tenderInterval, 'tenderInterval', 10, 600_000),
    loginTimeoutMs: optInt(config.loginTimeoutMs, 'loginTimeoutMs', 1, 600_000),
    ...circuitBreaker((config as { maxErrorRate?: unknown }).maxErrorRate, (config as { errorRateWindow?: unknown }).errorRateWindow),
  }
}
