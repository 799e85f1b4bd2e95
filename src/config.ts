/**
 * Client configuration, with the official `aerospike` package's names.
 * @module
 */
import { circuitBreaker } from './circuit_breaker'
import type { Log } from './module_setup'
import {
  createPolicy,
  type ApplyPolicyOptions,
  type BatchApplyPolicyOptions,
  type BatchPolicyOptions,
  type BatchReadPolicyOptions,
  type BatchRemovePolicyOptions,
  type BatchWritePolicyOptions,
  type InfoPolicyOptions,
  type OperatePolicyOptions,
  type QueryPolicyOptions,
  type ReadPolicyOptions,
  type RemovePolicyOptions,
  type ScanPolicyOptions,
  type WritePolicyOptions,
} from './policies'

const DEFAULT_PORT = 3000

/** A seed host. */
export interface Host {
  addr: string
  port?: number
  /** The name on the node's TLS certificate (with {@link ConfigOptions.tls}). */
  tlsname?: string
}

/** Default policies per command kind (`config.policies`); plain objects become policy class instances. */
export interface ConfigPolicies {
  apply?: ApplyPolicyOptions
  batch?: BatchPolicyOptions
  batchApply?: BatchApplyPolicyOptions
  batchParentWrite?: BatchPolicyOptions
  batchRead?: BatchReadPolicyOptions
  batchRemove?: BatchRemovePolicyOptions
  batchWrite?: BatchWritePolicyOptions
  info?: InfoPolicyOptions
  operate?: OperatePolicyOptions
  query?: QueryPolicyOptions
  read?: ReadPolicyOptions
  remove?: RemovePolicyOptions
  scan?: ScanPolicyOptions
  txnRoll?: BatchPolicyOptions
  txnVerify?: BatchPolicyOptions
  write?: WritePolicyOptions
  [type: string]: object | undefined
}

/** @deprecated the former name of {@link ConfigPolicies}. */
export type Policies = ConfigPolicies

/**
 * TLS settings, as the official client takes them. Connections use rustls: a setting it cannot
 * honour (an encrypted key, CRL checks, TLS 1.0/1.1, OpenSSL cipher keywords, the system trust
 * store) makes `connect()` fail with `ERR_PARAM` rather than connect less protected than asked.
 */
export interface TLSInfo {
  /** TLS is on when a `tls` section is present, unless this is `false`. @default true */
  enable?: boolean
  /** PEM file of the CA certificates to trust (this or `capath` is required). */
  cafile?: string
  /** Directory of PEM CA certificate files to trust. */
  capath?: string
  /** Apache `SSLProtocol` syntax, e.g. `'-all +TLSv1.2'`; only TLSv1.2 and TLSv1.3 are possible. @default TLSv1.2 and TLSv1.3 */
  protocols?: string
  /** Colon-separated suite names (OpenSSL's or IANA's) of the suites rustls offers; OpenSSL keywords are refused. */
  cipherSuite?: string
  /** Not supported (`ERR_PARAM`). */
  certBlacklist?: string
  /** PEM file of the client's private key, for mutual TLS (with `certfile`). */
  keyfile?: string
  /** Not supported (`ERR_PARAM`): decrypt the key file instead. */
  keyfilePassword?: string
  /** PEM file of the client's certificate chain, for mutual TLS (with `keyfile`). */
  certfile?: string
  /** Not supported (`ERR_PARAM` when true). */
  crlCheck?: boolean
  /** Not supported (`ERR_PARAM` when true). */
  crlCheckAll?: boolean
  /** Not supported (`ERR_PARAM` when true). */
  logSessionInfo?: boolean
  /** TLS for the login only, data in clear (needs a user or PKI). @default false */
  forLoginOnly?: boolean
  [setting: string]: unknown
}

/** `config.configProvider`: a dynamic configuration file. */
export interface ConfigProvider {
  path?: string
  interval?: number
}

/** `config.modlua`: where the Lua modules of stream UDFs are. */
export interface ModLua {
  systemPath?: string
  userPath?: string
}

/** `config.sharedMemory` (accepted; this client keeps the cluster map in process memory). */
export interface SharedMemory {
  enable?: boolean
  key?: number
  maxNodes?: number
  maxNamespaces?: number
  takeoverThresholdSeconds?: number
}

/** Options for {@link connect} and `new Config(...)`. */
export interface ConfigOptions {
  /**
   * Seed hosts: `'host1:3000,host2:3000'`, `[{ addr, port }]` or `[[host, port]]`.
   * @default process.env.AEROSPIKE_HOSTS, else `localhost:<port>`
   */
  hosts?: string | Array<Host | [string, number] | string>
  /** Default port of the hosts that name none. @default 3000 */
  port?: number
  /** User name (servers with security enabled). */
  user?: string
  /** Password for `user`. */
  password?: string
  /**
   * `Aerospike.auth` mode: `INTERNAL` (default; the password's hash is sent), `EXTERNAL` (the
   * clear password too, for LDAP; needs TLS), `EXTERNAL_INSECURE` (the same without TLS),
   * `AUTH_PKI` (the user is the TLS client certificate's; needs TLS with `certfile`).
   */
  authMode?: number
  /** Expected cluster name; nodes of another cluster are rejected. */
  clusterName?: string
  /** Application id sent to the server. */
  appId?: string
  /** TLS settings. */
  tls?: TLSInfo
  /** Timeout for opening a connection and for the initial cluster connect, ms. @default 1000 */
  connTimeoutMs?: number
  /** How long a login may take, ms. @default 5000 */
  loginTimeoutMs?: number
  /** Maximum open connections per node. @default 100 */
  maxConnsPerNode?: number
  /** Connections opened per node up front. @default 0 */
  minConnsPerNode?: number
  /** Seconds a pooled connection may stay idle before it is closed; keep it below the
   * server's `proto-fd-idle-ms`. @default 55 */
  maxSocketIdle?: number
  /** Milliseconds between cluster tend rounds. @default 1000 */
  tenderInterval?: number
  /** Errors per node and window after which commands to it are refused. @default 100 */
  maxErrorRate?: number
  /** Tend rounds of the error-rate window. @default 1 */
  errorRateWindow?: number
  /** Default policies per command kind. */
  policies?: ConfigPolicies
  /** Logging of this client (`{ level, file }`). */
  log?: Log
  /** Lua module paths. */
  modlua?: ModLua
  /** Shared-memory cluster map settings. */
  sharedMemory?: SharedMemory
  /** Use the nodes' alternate access addresses. @default false */
  useAlternateAccessAddress?: boolean
  /** Prefer the nodes of the client's rack for reads (with `replica.PREFER_RACK`). */
  rackAware?: boolean
  /** The client's rack. */
  rackId?: number
  /** The client's racks, in order of preference. */
  rackIds?: number[]
  /** Dynamic configuration file. */
  configProvider?: ConfigProvider
}

const INT_FIELDS = ['connTimeoutMs', 'loginTimeoutMs', 'maxSocketIdle', 'tenderInterval', 'maxConnsPerNode', 'maxErrorRate', 'errorRateWindow', 'minConnsPerNode'] as const

/**
 * A client's configuration (`client.config`), built from {@link ConfigOptions} as the official
 * client builds it: `port` defaults to 3000, `hosts` to `AEROSPIKE_HOSTS` or `localhost:<port>`,
 * and each of `policies` becomes an instance of its policy class (`policy.createPolicy`); an
 * unknown policy type is a TypeError. As in the official Config, a value of the wrong type
 * (`maxErrorRate: 'a'`, a non-string `user`) is left out and the default applies; a value of
 * the right type but out of range is a TypeError when the client connects.
 */
export class Config {
  declare hosts: string | Array<Host | [string, number] | string>
  declare port: number
  declare user?: string
  declare password?: string
  declare authMode?: number
  declare clusterName?: string
  declare appId?: string
  declare tls?: TLSInfo
  declare connTimeoutMs?: number
  declare loginTimeoutMs?: number
  declare maxConnsPerNode?: number
  declare minConnsPerNode?: number
  declare maxSocketIdle?: number
  declare tenderInterval?: number
  declare maxErrorRate?: number
  declare errorRateWindow?: number
  declare policies: ConfigPolicies
  declare log?: Log
  declare modlua?: ModLua
  declare sharedMemory?: SharedMemory
  declare useAlternateAccessAddress: boolean
  declare rackAware?: boolean
  declare rackId?: number
  declare rackIds?: number[]
  declare configProvider?: ConfigProvider

  constructor(config?: ConfigOptions | null) {
    const c = (config !== null && typeof config === 'object' ? config : {}) as Record<string, unknown>
    const self = this as Record<string, unknown>
    // As in the official Config, a value of the wrong type is left out (the default applies).
    for (const name of ['user', 'password'] as const) if (typeof c[name] === 'string') self[name] = c[name]
    if (typeof c.authMode === 'number') this.authMode = c.authMode
    for (const name of ['tls', 'log', 'sharedMemory'] as const) if (c[name] !== null && typeof c[name] === 'object') self[name] = c[name]
    if (Number.isInteger(c.rackId)) this.rackId = c.rackId as number
    this.clusterName = c.clusterName as string | undefined
    this.port = typeof c.port === 'number' ? c.port : DEFAULT_PORT
    // Unlike the official `||`, an empty or mistyped `hosts` is kept, to be rejected at connect.
    this.hosts = (c.hosts as Config['hosts']) ?? (process.env.AEROSPIKE_HOSTS || `localhost:${String(this.port)}`)
    this.policies = {}
    if (c.policies !== null && typeof c.policies === 'object') this.setDefaultPolicies!(c.policies as ConfigPolicies)
    for (const name of INT_FIELDS) if (Number.isInteger(c[name])) self[name] = c[name]
    if (c.modlua !== null && typeof c.modlua === 'object') this.modlua = { ...(c.modlua as ModLua) }
    this.useAlternateAccessAddress = Boolean(c.useAlternateAccessAddress)
    this.rackAware = c.rackAware as boolean | undefined
    this.rackIds = c.rackIds as number[] | undefined
    this.configProvider = c.configProvider as ConfigProvider | undefined
    this.appId = c.appId as string | undefined
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Config {
  /**
   * Sets default policies: each `type → values` becomes an instance of that type's policy class
   * (an instance of the class is kept as is). An unknown type is a TypeError.
   */
  setDefaultPolicies?(policies: ConfigPolicies): void
}

Config.prototype.setDefaultPolicies = function setDefaultPolicies(this: Config, policies: ConfigPolicies): void {
  if (policies === null || typeof policies !== 'object') return
  this.policies ??= {}
  const target = this.policies as Record<string, object | undefined>
  for (const type in policies) target[type] = createPolicy(type, policies[type])
}

Object.defineProperty(Config.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value: function inspect(this: Config) {
    const copy: Record<string, unknown> = { ...this }
    if (this.password !== undefined) copy.password = '[FILTERED]'
    if (this.tls?.keyfilePassword !== undefined) copy.tls = { ...this.tls, keyfilePassword: '[FILTERED]' }
    return copy
  },
})

function hostString(h: unknown, i: number, defaultPort: number, tls: boolean): string {
  let addr: unknown
  let port: unknown = defaultPort
  let tlsname: unknown
  if (typeof h === 'string') {
    return parseHostList(h, defaultPort, tls)
  } else if (Array.isArray(h)) {
    ;[addr, port = defaultPort] = h
  } else if (h && typeof h === 'object') {
    addr = (h as Host).addr
    port = (h as Host).port ?? defaultPort
    tlsname = (h as Host).tlsname
  }
  if (typeof addr !== 'string' || addr.length === 0) throw new TypeError(`hosts[${i}]: addr must be a non-empty string`)
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`hosts[${i}]: port must be an integer from 1 to 65535, got ${String(port)}`)
  }
  if (tlsname !== undefined && (typeof tlsname !== 'string' || tlsname.includes(':') || tlsname.includes(','))) throw new TypeError(`hosts[${i}]: tlsname must be a name`)
  const name = tls && typeof tlsname === 'string' && tlsname.length > 0 ? `:${tlsname}` : ''
  return `${addr.includes(':') && !addr.startsWith('[') ? `[${addr}]` : addr}${name}:${port}`
}

/** Normalizes `'h1:3000,h2'` into `h1:3000,h2:3000`; with `tls`, `host:tlsname:port` keeps its TLS name. */
function parseHostList(s: string, defaultPort: number, tls = false): string {
  const parts = s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  if (parts.length === 0) throw new TypeError('hosts must name at least one host')
  return parts
    .map((p) => {
      const m = /^(\[[^\]]+\]|[^:]+)(?::([^:]+))?(?::(\d+))?$/.exec(p)
      if (!m) throw new TypeError(`invalid host "${p}"`)
      // host:tlsname:port: the TLS name matters only when TLS is on.
      const portText = m[3] ?? m[2]
      const port = portText === undefined ? defaultPort : Number(portText)
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`invalid port in host "${p}"`)
      const name = tls && m[3] !== undefined ? `:${m[2]}` : ''
      return `${m[1]}${name}:${port}`
    })
    .join(',')
}

/** The seed list as `host:port,host:port`. */
export function resolveHosts(hosts: Config['hosts'] | undefined, defaultPort = DEFAULT_PORT, tls = false): string {
  const h = hosts ?? process.env.AEROSPIKE_HOSTS ?? `localhost:${defaultPort}`
  if (typeof h === 'string') return parseHostList(h, defaultPort, tls)
  if (!Array.isArray(h) || h.length === 0) throw new TypeError('hosts must be a string or a non-empty array')
  return h.map((x, i) => hostString(x, i, defaultPort, tls)).join(',')
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
export function nativeConfig(config: Config | ConfigOptions) {
  if (config === null || typeof config !== 'object') throw new TypeError('config must be an object')
  const port = optInt(config.port, 'port', 1, 65535) ?? DEFAULT_PORT
  const user = optStr(config.user, 'user')
  const password = optStr(config.password, 'password')
  if ((user === undefined) !== (password === undefined)) throw new TypeError('config.user and config.password go together')
  const connTimeoutMs = optInt(config.connTimeoutMs, 'connTimeoutMs', 1, 600_000)
  const tls = tlsConfig(config.tls)
  return {
    hosts: resolveHosts(config.hosts, port, tls !== undefined && tls.enable !== false),
    user,
    password,
    authMode: optInt(config.authMode, 'authMode', 0, 3),
    tls,
    clusterName: optStr(config.clusterName, 'clusterName'),
    connTimeoutMs,
    maxConnsPerNode: optInt(config.maxConnsPerNode, 'maxConnsPerNode', 0, 100_000),
    minConnsPerNode: optInt(config.minConnsPerNode, 'minConnsPerNode', 0, 100_000),
    maxSocketIdle: optInt(config.maxSocketIdle, 'maxSocketIdle', 0, 86_400),
    tenderInterval: optInt(config.tenderInterval, 'tenderInterval', 10, 600_000),
    loginTimeoutMs: optInt(config.loginTimeoutMs, 'loginTimeoutMs', 1, 600_000),
    ...circuitBreaker((config as { maxErrorRate?: unknown }).maxErrorRate, (config as { errorRateWindow?: unknown }).errorRateWindow),
  }
}

const TLS_STRINGS = ['cafile', 'capath', 'protocols', 'cipherSuite', 'certBlacklist', 'keyfile', 'keyfilePassword', 'certfile'] as const
const TLS_FLAGS = ['enable', 'crlCheck', 'crlCheckAll', 'logSessionInfo', 'forLoginOnly'] as const

/** `config.tls` checked for types; what rustls cannot do is refused by the addon at connect. */
function tlsConfig(tls: unknown): import('../native').NativeTls | undefined {
  if (tls === undefined || tls === null) return undefined
  if (typeof tls !== 'object') throw new TypeError('config.tls must be an object')
  const t = tls as Record<string, unknown>
  const out: Record<string, string | boolean | undefined> = {}
  for (const k of TLS_STRINGS) out[k] = optStr(t[k], `tls.${k}`)
  for (const k of TLS_FLAGS) {
    if (t[k] !== undefined && t[k] !== null && typeof t[k] !== 'boolean') throw new TypeError(`config.tls.${k} must be a boolean`)
    out[k] = t[k] ?? undefined
  }
  return out as import('../native').NativeTls
}
