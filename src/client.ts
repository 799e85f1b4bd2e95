/**
 * The `Client` class: connecting and closing, the policies, the single-record commands (`put`,
 * `get`, `select`, `exists`, `remove`, `operate`, `add`/`append`/`prepend`, `touch`) and the
 * cluster events. The other method families are added to its prototype, one file each:
 * `client_batch.ts`, `client_query.ts`, `client_udf.ts`, `client_stats.ts`, `client_info.ts`,
 * `client_misc.ts`, `client_admin.ts`, `client_txn.ts` (all loaded by `index.ts`).
 * @module
 */
import { EventEmitter } from 'node:events'
import { type Reader, TAG, Writer, writeValue } from './codec'
import { Config, nativeConfig, type ConfigOptions, type Policies } from './config'
import { AerospikeError, fromNative, inputError } from './errors'
import { rethrowInput, settle, splitCallback, type Callback } from './callbacks'
import { asKey, writeKey, type Key, type KeyOptions } from './key'
import { native } from './native'
import { writeOps, type Operation } from './operations'
import { writeBase, writeWritePolicy, type ReadPolicy, type RecordMetadata, type WritePolicy } from './policy'
import { AerospikeRecord, readRecord } from './record'
import { status } from './status'
import type { Bins } from './values'
import { binsOf, type Bin } from './bin'
import { abort, begin, commit, flushNow, KIND } from './dispatch'
import { CommandStats } from './metrics'
import { closeMetrics } from './metrics_session'
import { DynamicConfig, resolveProvider, type PolicyOverrides } from './dynamic_config'

type NativeClient = import('../native').NativeClient
export { settle, type Callback }
function checkBins(bins: unknown): Record<string, unknown> {
  if (bins === null || typeof bins !== 'object' || Array.isArray(bins) || bins instanceof Map || Buffer.isBuffer(bins)) {
    throw new TypeError('bins must be an object of bin name → value')
  }
  return bins as Record<string, unknown>
}

/** The official client's error for a record it cannot encode (a bin name over 15 bytes, an
 * `undefined` bin value). */
function invalidRecord(): AerospikeError {
  return new AerospikeError('Record object invalid', status.ERR_PARAM)
}

function checkBinName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('bin names must be non-empty strings')
  if (name.length > 5 && Buffer.byteLength(name) > 15) throw new TypeError(`bin name "${name}" is longer than 15 bytes`)
  return name
}

/** What a failed read hands its callback besides the error: a record with the key only. */
function failedRecord(key: Key | KeyOptions): AerospikeRecord {
  return new AerospikeRecord(key as Key, undefined as never)
}

/** Appends `u32 n` then name/value pairs. */
function writeBins(w: Writer, bins: Record<string, unknown>): void {
  const names = Object.keys(bins)
  if (names.length === 0) throw new TypeError('bins must not be empty')
  w.u32(names.length)
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    // Object keys are strings: only the empty name and the length are left to check.
    if (name.length === 0) throw new TypeError('bin names must be non-empty strings')
    if (name.length > 5 && Buffer.byteLength(name) > 15) throw invalidRecord()
    const v = bins[name]
    if (v === undefined) throw invalidRecord()
    w.str(name)
    // Numbers inline (the common case); everything else, and the errors, through writeValue.
    if (typeof v === 'number' && Number.isFinite(v)) {
      if (Number.isSafeInteger(v)) {
        w.u8(TAG.INT)
        w.int(v)
      } else {
        w.u8(TAG.FLOAT)
        w.f64(v)
      }
    } else {
      writeValue(w, v, `bin "${name}"`)
    }
  }
}

/**
 * Begins a single-record request: its kind, the key, and the `policyKind` policy (with `meta`
 * folded into a write policy). A throw while writing them aborts the request.
 */
function keyRequest(client: Client, n: NativeClient, kind: number, k: Key, policyKind: 'read' | 'write' | 'operate' | 'remove', policy: unknown, meta?: unknown): Writer {
  const w = begin(n, kind)
  try {
    writeKey(w, k)
    if (policyKind === 'read') client._writeReadPolicy(w, policy)
    else client._writeWritePolicy(w, policyKind, policy, meta)
  } catch (e) {
    abort(w)
    throw e
  }
  return w
}

// Decoders of single-record results (see `dispatch.ts`).
const decodeRecord = (r: Reader, k: Key): AerospikeRecord => readRecord(r, k)
const decodeKey = (_r: Reader, k: Key): Key => k
const decodeFlag = (r: Reader): boolean => r.u8() === 1

/** A cluster event, as the `nodeAdded`, `nodeRemoved`, `disconnected` and `event` events carry it. */
export interface ClusterEvent {
  name: 'nodeAdded' | 'nodeRemoved' | 'disconnected'
  nodeName?: string
  nodeAddress?: string
}

/** Whether a default policy's encoding can be reused (an expression object could change). */
function cacheable(p: { filterExpression?: unknown }): boolean {
  return p.filterExpression === undefined || p.filterExpression === null
}

const WRITE_DEFAULTS: WritePolicy = { maxRetries: 0 }

/** What `add`, `incr`, `append` and `prepend` take after the key and the bins. */
export type BinOpArgs = [meta?: RecordMetadata | null | Callback<any>, policy?: WritePolicy | null | Callback<any>, callback?: Callback<AerospikeRecord>]

/**
 * A client of an Aerospike cluster. Emits `nodeAdded` and `nodeRemoved` (with the node name) as
 * the cluster changes, and `disconnected` when no node is reachable any more.
 */
export class Client extends EventEmitter {
  /** @internal */
  _native: NativeClient | null = null
  readonly config: Config
  /** @internal Per-command-kind counters and latency histograms. */
  readonly _stats = new CommandStats()
  private _watch: NodeJS.Timeout | null = null
  private _nodes = new Set<string>()
  /** @internal */
  readonly _policies: Required<Pick<Policies, 'read' | 'write' | 'operate' | 'remove' | 'batch' | 'batchParentWrite'>>

  constructor(config: ConfigOptions | Config = {}) {
    super()
    Object.defineProperty(this, 'as_client', { value: { isConnected: () => this._native?.isConnected() ?? false }, writable: true })
    if (config === null || typeof config !== 'object') throw new TypeError('config must be an object')
    try {
      this.config = new Config(config)
      const p = this.config.policies ?? {}
      this._policies = {
        read: { ...p.read },
        write: { ...WRITE_DEFAULTS, ...p.write },
        operate: { ...WRITE_DEFAULTS, ...p.operate },
        remove: { ...WRITE_DEFAULTS, ...p.remove },
        batch: { ...p.batch },
        // batchWrite's, as in the official client (not `batch`).
        batchParentWrite: { ...p.batchParentWrite },
      }
    } catch (e) {
      throw inputError(e)
    }
  }

  /** Connects to the cluster. Resolves with this client. */
  connect(callback?: Callback<Client>): Promise<Client> {
    const run = async () => {
      if (this._native) return this
      const cfg = nativeConfig(this.config)
      const provider = resolveProvider((this.config as { configProvider?: unknown }).configProvider, Number(this.config.tenderInterval ?? 1000))
      try {
        this._native = await native.NativeClient.connect(cfg)
      } catch (e) {
        const err = fromNative(e)
        // As the official client words it: "Failed to connect to host(s): …".
        if (err instanceof AerospikeError) err.message = `Failed to connect to host(s): ${cfg.hosts}. ${err.message}`
        throw err
      }
      this._watchNodes()
      if (provider) {
        this._dynamic = new DynamicConfig(provider.path, provider.interval, (o) => {
          this._overrides = Object.keys(o).length > 0 ? o : null
        })
        this._dynamic.start()
      }
      return this
    }
    return settle(run().catch(rethrowInput), callback)
  }

  /**
   * Whether the client is connected. With `checkTenderErrors` (the default) it also asks the
   * cluster whether at least one node is reachable (`as_client.isConnected()`, as the official
   * client asks its C core); with `false` it only tells whether `connect()` succeeded and
   * `close()` was not called since.
   */
  isConnected(checkTenderErrors = true): boolean {
    if (this._native === null) return false
    return checkTenderErrors === false ? true : this.as_client.isConnected()
  }

  /** @internal The cluster health check behind {@link isConnected} (the official client's name). */
  declare as_client: { isConnected(): boolean }

  /** Closes all connections. Afterwards commands fail with `ERR_CLIENT` and the process can exit. */
  close(callback?: Callback<void>): Promise<void>
  /** `releaseEventLoop` is accepted for compatibility: this client holds no event loop to release. */
  close(releaseEventLoop?: boolean | null, callback?: Callback<void>): Promise<void>
  close(releaseEventLoop?: boolean | null | Callback<void>, callback?: Callback<void>): Promise<void> {
    if (typeof releaseEventLoop === 'function') callback = releaseEventLoop
    flushNow()
    closeMetrics(this)
    const n = this._native
    this._native = null
    if (this._watch) clearInterval(this._watch)
    this._watch = null
    this._dynamic?.stop()
    this._dynamic = null
    n?.closeLoop()
    return settle(n ? n.close().catch((e: unknown) => Promise.reject(fromNative(e))) : Promise.resolve(), callback)
  }

  /** @internal */
  _conn(): NativeClient {
    if (!this._native) throw new AerospikeError('Not connected.', status.ERR_CLIENT)
    return this._native
  }

  /** @internal Runs a native call, converting its errors. */
  async _call<T>(f: (n: NativeClient) => Promise<T>): Promise<T> {
    const n = this._conn()
    try {
      return await f(n)
    } catch (e) {
      throw this._poolError(fromNative(e))
    }
  }

  /**
   * @internal A command that timed out without ever getting a connection while every
   * connection to a node was in use failed for want of connections: report it as
   * `ERR_NO_MORE_CONNECTIONS` (the Rust core waits for a free connection up to the deadline).
   */
  readonly _poolError = (e: Error): Error => {
    if (!(e instanceof AerospikeError) || e.code !== status.ERR_TIMEOUT || !/after 0 tries/.test(e.message) || !this._native) return e
    const max = Number(this.config.maxConnsPerNode ?? 100)
    try {
      if (!this._native.nodeStats().some((node) => node.connsInUse >= max)) return e
    } catch {
      return e
    }
    return new AerospikeError(
      `no connection free within the timeout: all ${max} connections to a node are in use (maxConnsPerNode)`,
      status.ERR_NO_MORE_CONNECTIONS,
      false,
      { cause: e },
    )
  }

  /** @internal */
  _policy<K extends keyof Client['_policies']>(kind: K, policy: unknown): Client['_policies'][K] {
    const dynamic = this._overrides?.[kind]
    if (policy === undefined || policy === null) return dynamic ? { ...this._policies[kind], ...dynamic } : this._policies[kind]
    if (typeof policy !== 'object' || Array.isArray(policy)) throw new TypeError('policy must be an object')
    return { ...this._policies[kind], ...(policy as object), ...dynamic }
  }

  /** @internal The dynamic config file being watched (`config.configProvider`), if any. */
  private _dynamic: DynamicConfig | null = null
  /** @internal Policy fields set by the dynamic config; they win over every other policy. */
  _overrides: PolicyOverrides | null = null

  /** @internal Encoded default policies (no per-call policy, no metadata), by kind. */
  private readonly _policyBytes: { read?: Buffer; write?: Buffer; operate?: Buffer; remove?: Buffer } = {}

  /** @internal Appends a read policy: the client's default (encoded once) or `policy` over it. */
  _writeReadPolicy(w: Writer, policy: unknown): void {
    if ((policy !== undefined && policy !== null) || this._overrides) {
      writeBase(w, this._policy('read', policy))
      return
    }
    let b = this._policyBytes.read
    if (b === undefined) {
      const pw = new Writer(64)
      writeBase(pw, this._policies.read)
      b = pw.finish()
      if (cacheable(this._policies.read)) this._policyBytes.read = b
    }
    w.raw(b)
  }

  /** @internal Appends a write policy with `meta` folded in (the default one encoded once). */
  _writeWritePolicy(w: Writer, kind: 'write' | 'operate' | 'remove', policy: unknown, meta?: unknown): void {
    if ((policy !== undefined && policy !== null) || (meta !== undefined && meta !== null) || this._overrides) {
      writeWritePolicy(w, this._policy(kind, policy), meta)
      return
    }
    let b = this._policyBytes[kind]
    if (b === undefined) {
      const pw = new Writer(64)
      writeWritePolicy(pw, this._policies[kind])
      b = pw.finish()
      if (cacheable(this._policies[kind])) this._policyBytes[kind] = b
    }
    w.raw(b)
  }

  /** Writes bins to a record (creating it if needed). Resolves with the key. */
  put(key: Key | KeyOptions, bins: Bins | Bin | AerospikeRecord, meta?: RecordMetadata | null | Callback<any>, policy?: WritePolicy | null | Callback<any>, callback?: Callback<Key>): Promise<Key>
  put(key: Key | KeyOptions, bins: Bins | Bin | AerospikeRecord, meta?: unknown, policy?: unknown, callback?: unknown): Promise<Key> {
    if (typeof meta === 'function') [meta, policy, callback] = [undefined, undefined, meta]
    else if (typeof policy === 'function') [policy, callback] = [undefined, policy]
    let p: Promise<Key>
    let w: Writer | undefined
    try {
      const n = this._conn()
      const k = asKey(key)
      w = keyRequest(this, n, KIND.PUT, k, 'write', policy, meta)
      writeBins(w, checkBins(binsOf(bins)))
      p = commit(n, w, decodeKey, k, this._stats, this._poolError)
    } catch (e) {
      if (w) abort(w)
      p = Promise.reject(inputError(e))
    }
    return settle(p, callback as Callback<Key>, () => key as Key)
  }

  private readCmd(key: Key | KeyOptions, selection: string[] | null | 'header', policy: unknown): Promise<AerospikeRecord> {
    let w: Writer | undefined
    try {
      const n = this._conn()
      const k = asKey(key)
      w = keyRequest(this, n, KIND.GET, k, 'read', policy)
      if (selection === null) {
        w.u8(0)
      } else if (selection === 'header') {
        w.u8(2)
      } else {
        if (!Array.isArray(selection)) throw new TypeError('bins must be an array of bin names')
        w.u8(1)
        w.u32(selection.length)
        for (const b of selection) w.str(checkBinName(b))
      }
      return commit(n, w, decodeRecord, k, this._stats, this._poolError)
    } catch (e) {
      if (w) abort(w)
      return Promise.reject(inputError(e))
    }
  }

  /** A command whose answer is whether the record was there (`exists`, `remove`). */
  private flagCmd(kind: number, k: Key, policyKind: 'read' | 'remove', policy: unknown): Promise<boolean> {
    const n = this._conn()
    return commit(n, keyRequest(this, n, kind, k, policyKind, policy), decodeFlag, null, this._stats, this._poolError)
  }

  /** Reads all bins of a record. Rejects with `ERR_RECORD_NOT_FOUND` (2) when it does not exist. */
  get(key: Key | KeyOptions, policy?: ReadPolicy | null | Callback<any>, callback?: Callback<AerospikeRecord>): Promise<AerospikeRecord>
  get(key: Key | KeyOptions, policy?: unknown, callback?: unknown): Promise<AerospikeRecord> {
    if (typeof policy === 'function') [policy, callback] = [undefined, policy]
    return settle(this.readCmd(key, null, policy), callback as Callback<AerospikeRecord>, () => failedRecord(key))
  }

  /** Reads the named bins of a record. */
  select(key: Key | KeyOptions, bins: string[], policy?: ReadPolicy | null | Callback<any>, callback?: Callback<AerospikeRecord>): Promise<AerospikeRecord>
  select(key: Key | KeyOptions, bins: string[], ...rest: unknown[]): Promise<AerospikeRecord> {
    const [[policy], cb] = splitCallback(rest)
    return settle(this.readCmd(key, Array.isArray(bins) ? bins : (bins as unknown as string[]), policy), cb, () => failedRecord(key))
  }

  /** Whether a record exists. */
  exists(key: Key | KeyOptions, policy?: ReadPolicy | null | Callback<any>, callback?: Callback<boolean>): Promise<boolean>
  exists(key: Key | KeyOptions, ...rest: unknown[]): Promise<boolean> {
    const [[policy], cb] = splitCallback(rest)
    const run = async () => this.flagCmd(KIND.EXISTS, asKey(key), 'read', policy)
    return settle(run().catch(rethrowInput), cb)
  }

  /**
   * A record's metadata without its bins. Resolves with `bins: null`; for a missing record
   * `ttl` and `gen` are `null` too (as the official client does).
   */
  existsWithMetadata(key: Key | KeyOptions, policy?: ReadPolicy | null | Callback<any>, callback?: Callback<AerospikeRecord<null>>): Promise<AerospikeRecord<null>>
  existsWithMetadata(key: Key | KeyOptions, ...rest: unknown[]): Promise<AerospikeRecord<null>> {
    const [[policy], cb] = splitCallback(rest)
    const run = async () => {
      try {
        const rec = await this.readCmd(key, 'header', policy)
        return new AerospikeRecord<null>(rec.key, null, rec.ttl, rec.gen)
      } catch (e) {
        if (e instanceof AerospikeError && e.code === status.ERR_RECORD_NOT_FOUND) {
          return new AerospikeRecord<null>(asKey(key), null, null as unknown as number, null as unknown as number)
        }
        throw e
      }
    }
    return settle(run().catch(rethrowInput), cb)
  }

  /** Deletes a record. Resolves with the key; rejects with 2 when it did not exist. */
  remove(key: Key | KeyOptions, policy?: WritePolicy | null | Callback<any>, callback?: Callback<Key>): Promise<Key>
  remove(key: Key | KeyOptions, ...rest: unknown[]): Promise<Key> {
    const [[policy], cb] = splitCallback(rest)
    const run = async () => {
      const k = asKey(key)
      const existed = await this.flagCmd(KIND.REMOVE, k, 'remove', policy)
      if (!existed) throw new AerospikeError(status.getMessage(status.ERR_RECORD_NOT_FOUND), status.ERR_RECORD_NOT_FOUND)
      return k
    }
    return settle(run().catch(rethrowInput), cb, () => key as Key)
  }

  /** Runs several operations on one record atomically. Resolves with the record of results. */
  operate(key: Key | KeyOptions, ops: Operation[], meta?: RecordMetadata | null | Callback<any>, policy?: WritePolicy | null | Callback<any>, callback?: Callback<AerospikeRecord>): Promise<AerospikeRecord>
  operate(key: Key | KeyOptions, ops: Operation[], ...rest: unknown[]): Promise<AerospikeRecord> {
    const [[meta, policy], cb] = splitCallback(rest)
    return settle(this.operateCmd(key, ops, meta, policy), cb, () => failedRecord(key))
  }

  /** @internal */
  operateCmd(key: Key | KeyOptions, ops: Operation[], meta: unknown, policy: unknown): Promise<AerospikeRecord> {
    let w: Writer | undefined
    try {
      const n = this._conn()
      const k = asKey(key)
      let m = meta
      if (m === undefined || m === null) {
        const touch = Array.isArray(ops) ? ops.find((o) => o && o.op === 'touch' && o.ttl !== undefined) : undefined
        if (touch) m = { ttl: touch.ttl }
      }
      w = keyRequest(this, n, KIND.OPERATE, k, 'operate', policy, m)
      writeOps(w, ops)
      return commit(n, w, decodeRecord, k, this._stats, this._poolError)
    } catch (e) {
      if (w) abort(w)
      return Promise.reject(inputError(e))
    }
  }

  private binOps(kind: 'incr' | 'append' | 'prepend', key: Key | KeyOptions, bins: unknown, rest: BinOpArgs): Promise<AerospikeRecord> {
    const [[meta, policy], cb] = splitCallback(rest)
    let ops: Operation[]
    try {
      ops = Object.entries(checkBins(bins)).map(([bin, value]) => ({ op: kind, bin, value }))
    } catch (e) {
      return settle(Promise.reject(inputError(e)), cb, () => failedRecord(key))
    }
    return settle(this.operateCmd(key, ops, meta, policy), cb, () => failedRecord(key))
  }

  /** Adds numbers to bins (integer or float), creating missing bins. */
  add(key: Key | KeyOptions, bins: Bins, ...rest: BinOpArgs): Promise<AerospikeRecord> {
    return this.binOps('incr', key, bins, rest)
  }

  /** Alias of {@link add}. */
  incr(key: Key | KeyOptions, bins: Bins, ...rest: BinOpArgs): Promise<AerospikeRecord> {
    return this.binOps('incr', key, bins, rest)
  }

  /** Appends strings or bytes to bins. */
  append(key: Key | KeyOptions, bins: Bins, ...rest: BinOpArgs): Promise<AerospikeRecord> {
    return this.binOps('append', key, bins, rest)
  }

  /** Prepends strings or bytes to bins. */
  prepend(key: Key | KeyOptions, bins: Bins, ...rest: BinOpArgs): Promise<AerospikeRecord> {
    return this.binOps('prepend', key, bins, rest)
  }

  /** Resets a record's TTL (to `ttl` seconds when given) and bumps its generation. */
  touch(key: Key | KeyOptions, ttl?: number | null | Callback<any>, policy?: WritePolicy | null | Callback<any>, callback?: Callback<Key>): Promise<Key>
  touch(key: Key | KeyOptions, ...rest: unknown[]): Promise<Key> {
    const [[ttlArg, policy], cb] = splitCallback(rest)
    const run = async () => {
      const meta = ttlArg === undefined || ttlArg === null ? undefined : { ttl: ttlArg }
      await this.operateCmd(key, [{ op: 'touch' }], meta, policy)
      return asKey(key)
    }
    return settle(run().catch(rethrowInput), cb)
  }

  /**
   * @internal Watches the node list and emits, as the official client does, `nodeAdded` and
   * `nodeRemoved` with `{ name, nodeName, nodeAddress }`, `disconnected` with `{ name }` when no
   * node is left, and each of them also as `event`.
   */
  _watchNodes(): void {
    const n = this._native
    if (!n) return
    const nodeMap = (): Map<string, string> => new Map(n.nodeStats().map((s) => [s.name, s.address]))
    let addresses = nodeMap()
    this._nodes = new Set(addresses.keys())
    // The nodes found while connecting are announced too, as the official client does.
    for (const [name, address] of addresses) this._clusterEvent({ name: 'nodeAdded', nodeName: name, nodeAddress: address })
    const interval = Math.max(50, Number(this.config.tenderInterval ?? 1000))
    this._watch = setInterval(() => {
      if (!this._native) return
      let now: Map<string, string>
      try {
        now = nodeMap()
      } catch {
        return
      }
      for (const [name, address] of now) if (!this._nodes.has(name)) this._clusterEvent({ name: 'nodeAdded', nodeName: name, nodeAddress: address })
      for (const name of this._nodes) if (!now.has(name)) this._clusterEvent({ name: 'nodeRemoved', nodeName: name, nodeAddress: addresses.get(name) })
      if (this._nodes.size > 0 && now.size === 0) this._clusterEvent({ name: 'disconnected' })
      this._nodes = new Set(now.keys())
      addresses = now
    }, interval)
    this._watch.unref()
  }

  /** @internal */
  _clusterEvent(event: ClusterEvent): void {
    this.emit(event.name, event)
    this.emit('event', event)
  }
}
