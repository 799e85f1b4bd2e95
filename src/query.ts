/**
 * Queries (with a secondary-index filter) and scans (every record of a set or namespace), with
 * the official client's shapes: `client.query(ns, set)` / `client.scan(ns, set)`, then
 * `results()`, `foreach()` (an event stream), or `for await … of` with real backpressure: records
 * are pulled from Rust in chunks only as fast as the consumer takes them, and while it does not,
 * the client stops reading from the server.
 * @module
 */
import { EventEmitter } from 'node:events'
import type { Client } from './client'
import { Reader, Writer, writeValue } from './codec'
import { AerospikeError, fromNative, inputError } from './errors'
import { SindexFilterPredicate, type Filter } from './filter'
import { packedExpression, type AerospikeExp } from './exp/core'
import { native } from './native'
import type { NativeCursor, NativeQuery } from '../native'
import { writeBase, writeWritePolicy, type BasePolicy, type WritePolicy } from './policy'
import { writeUdf, type UDF } from './udf'
import { Job } from './job'
import { settle, type Callback } from './callbacks'
import { AerospikeRecord as Rec } from './record'
import { writeOps, type Operation } from './operations'
import type { AerospikeRecord } from './record'
import { LAT } from './metrics_recorder'
import { status } from './status'
import type { ColumnSpec } from './column_vectors'
import { scanColumns, type ScanColumns } from './columnar_scan'
import { CHUNK, pull, RecordIterator } from './record_pull'

/** Policy of a query or scan. */
export interface QueryRunPolicy extends BasePolicy {
  /** Stop after about this many records (0: no limit). With `paginate`, the page size. */
  maxRecords?: number
  /** Records buffered between the server connections and the consumer. @default 5000 */
  recordQueueSize?: number
  /** `policy.queryDuration`: accepted as the official client's `QueryPolicy` field; not sent. */
  expectedDuration?: number
  /** Lists and maps as JavaScript values (true) or as their raw msgpack bytes. @default true */
  deserialize?: boolean
}

/** Options of {@link Query.columns}: the query policy and the rows per batch. */
export interface ColumnsOptions extends QueryRunPolicy {
  /** The most records per batch. @default 8192 */
  rows?: number
}

/** Options of `client.query()` / `client.scan()`. */
export interface QueryOptions {
  /** Bins to return (all when absent). */
  select?: string[]
  /** Return record metadata only. */
  nobins?: boolean
  /** Secondary-index filter (queries only). */
  filters?: Filter[]
  /** Page through the results `maxRecords` at a time. */
  paginate?: boolean
  /** Page size / record limit. */
  maxRecords?: number
  /** Stream UDF applied by `foreach()` / `results()` (see {@link Query.setUdf}). */
  udf?: UDF
  /** Operations of a background `operate()`. */
  ops?: Operation[]
  /** TTL of the records a background job writes. */
  ttl?: number
}

/** Options of `client.scan()` (the official name). */
export interface ScanOptions {
  /** Bins to return (all when absent). */
  select?: string[]
  /** Return record metadata only. */
  nobins?: boolean
  /** Accepted for compatibility; nodes are always scanned concurrently. */
  concurrent?: boolean
  /** TTL of the records a background job writes. */
  ttl?: number
  /** Page through the results `maxRecords` at a time. */
  paginate?: boolean
  /** Accepted for compatibility (the official client ignores it too); see {@link Scan.scanState}. */
  scanState?: unknown
  /** Page size / record limit. */
  maxRecords?: number
  /** Operations of a background `operate()`. */
  ops?: Operation[]
}

const PAGINATED_UDF = 'Stream UDF cannot be applied using a paginated stream. Please disable pagination or UDF.'

/** A value out of a stream UDF, as the official client delivers it: a record whose bins are the value. */
function udfRecord(v: unknown): AerospikeRecord {
  return new Rec(undefined as never, v as never, 0, 0)
}
const KINDS = { equal: 1, range: 2, geoWithinRegion: 3, geoWithinRadius: 4, geoContains: 5 } as const

function checkName(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new TypeError(`${what} must be a string`)
  return v
}

/** A query or scan definition. Run it with {@link results}, {@link foreach} or `for await`. */
export class Query {
  readonly ns: string
  readonly set: string | null
  selected: string[] | null = null
  nobins = false
  filters: Filter[] = []
  paginate = false
  maxRecords = 0
  /** @internal */ _partitions: [number, number] | null = null
  /** @internal */ _cursor: NativeCursor | null = null
  /** @internal */ _pageDone = false
  /** Stream UDF applied by `foreach()` / `results()` (see {@link setUdf}). */
  udf: UDF | undefined = undefined
  /** Operations of a background `operate()` (official field). */
  ops: Operation[] | undefined = undefined
  /** TTL of the records a background job writes (official field). */
  ttl: number | undefined = undefined
  /** The paging state: set when another page remains (see {@link nextPage}). */
  queryState: unknown = undefined

  constructor(
    readonly client: Client,
    ns: string,
    set?: string | null | QueryOptions,
    options: QueryOptions = {},
  ) {
    if (set !== null && typeof set === 'object') [set, options] = [null, set]
    options ??= {}
    if (typeof ns !== 'string' || ns.length === 0) throw new TypeError('namespace must be a non-empty string')
    if (set !== undefined && set !== null && typeof set !== 'string') throw new TypeError('set must be a string or null')
    this.ns = ns
    this.set = set ?? null
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object')
    if (options.select !== undefined) this.select(...options.select)
    if (options.nobins !== undefined) this.nobins = Boolean(options.nobins)
    for (const f of options.filters ?? []) this.where(f)
    if (options.paginate !== undefined) this.paginate = Boolean(options.paginate)
    if (options.maxRecords !== undefined) this.maxRecords = options.maxRecords
    if (options.udf !== undefined) this.udf = options.udf
    if (options.ops !== undefined) this.ops = options.ops
    if (options.ttl !== undefined) this.ttl = options.ttl
  }

  /** Sets the paging state to resume from (what the `end` event of the last page gave). */
  nextPage(state: unknown): void {
    this.queryState = state
    this._cursor = (state as NativeCursor | undefined) ?? null
    this._pageDone = !state
  }

  /** Applies a stream UDF (aggregation) to the results of `foreach()` / `results()`. */
  setUdf(udfModule: string, udfFunction: string, udfArgs?: unknown[] | null): void {
    this.udf = { module: udfModule, funcname: udfFunction, args: udfArgs ?? [] }
  }

  /** Sets the secondary-index filter, replacing any (the official client's lower-level form of
   * {@link where}). */
  setSindexFilter(sindexFilter: Filter): void {
    this.filters = []
    this.where(sindexFilter)
  }

  /** Like {@link where}, naming the secondary index to use (the filter's bin may then be `null`). */
  whereWithIndexName(filter: Filter, indexName: string): this {
    if (typeof indexName !== 'string' || indexName.length === 0) throw new TypeError('whereWithIndexName: indexName must be a non-empty string')
    this.filters = []
    this.where(new SindexFilterPredicate({ ...filter, indexName }))
    return this
  }

  /**
   * Runs a stream UDF over the selected records (map/filter/aggregate on the servers, the final
   * reduce in the client) and resolves with its result.
   */
  apply(udfModule: string, udfFunction: string, udfArgs?: unknown[] | null | Callback<unknown>, policy?: QueryRunPolicy | null | Callback<unknown>, callback?: Callback<unknown>): Promise<unknown> {
    if (typeof udfArgs === 'function') [udfArgs, policy, callback] = [null, null, udfArgs]
    if (typeof policy === 'function') [policy, callback] = [null, policy]
    this.udf = { module: udfModule, funcname: udfFunction, args: (udfArgs as unknown[] | null) ?? [] }
    const run = async () => (await this._aggregate(policy as QueryRunPolicy | null))[0] ?? null
    return settle(run(), callback)
  }

  /** @internal Runs the aggregation of {@link udf}; resolves with the final values. */
  async _aggregate(policy: QueryRunPolicy | null | undefined): Promise<unknown[]> {
    let req: Buffer
    try {
      const head = this._request({ ...((this.client.config.policies as { query?: QueryRunPolicy } | undefined)?.query ?? {}), ...(policy ?? {}) } as QueryRunPolicy)
      const w = new Writer(head.length + 64)
      w.raw(head)
      writeUdf(w, this.udf)
      req = w.finish()
    } catch (e) {
      throw inputError(e)
    }
    const lua = (this.client.config as { modlua?: { userPath?: string } }).modlua?.userPath
    if (typeof lua === 'string') native.luaSetPath(lua)
    let buf: Buffer
    try {
      buf = await this.client._conn().aggregate(req)
    } catch (e) {
      throw fromNative(e)
    }
    const r = new Reader(buf)
    const n = r.u32()
    const out: unknown[] = []
    for (let i = 0; i < n; i++) out.push(r.value())
    return out
  }

  /** Returns only these bins. */
  select(...bins: Array<string | string[]>): this {
    const names = bins.flat()
    for (const b of names) checkName(b, 'bin name')
    this.selected = names
    return this
  }

  /** Sets the secondary-index filter (one per query). */
  where(filter: Filter): this {
    if (filter === null || typeof filter !== 'object' || !(filter.kind in KINDS)) throw new TypeError('where() needs a filter from the filter module')
    if (this.filters.length > 0) throw new TypeError('a query takes one filter')
    this.filters.push(filter)
    return this
  }

  /** Sets a filter answered by an index on an expression (`client.createExpIndex`): the filter's
   * bin name is not used; the index is found by the expression. */
  whereWithExp(filter: Filter, expression: AerospikeExp | string): this {
    packedExpression(expression, 'whereWithExp expression')
    this.where(new SindexFilterPredicate({ ...filter, exp: expression }))
    return this
  }

  /**
   * Runs a UDF on every selected record, in the background on the server. Resolves with the
   * {@link Job} once the job has started.
   */
  background(udfModule: string, udfFunction: string, udfArgs?: unknown[] | null | Callback<Job>, policy?: WritePolicy | null | Callback<Job>, _jobID?: number | null | Callback<Job>, callback?: Callback<Job>): Promise<Job> {
    if (typeof udfArgs === 'function') [udfArgs, policy, _jobID, callback] = [null, null, null, udfArgs]
    else if (typeof policy === 'function') [policy, _jobID, callback] = [null, null, policy]
    else if (typeof _jobID === 'function') [_jobID, callback] = [null, _jobID]
    const args = (udfArgs as unknown[] | null) ?? []
    return settle(this._job((w) => {
      w.u8(1)
      writeUdf(w, { module: udfModule, funcname: udfFunction, args })
    }, (policy as WritePolicy | null) ?? undefined), callback)
  }

  /** Applies write operations to every selected record, in the background on the server. */
  operate(operations: Operation[], policy?: WritePolicy | null | Callback<Job>, _jobID?: number | null | Callback<Job>, callback?: Callback<Job>): Promise<Job> {
    if (typeof policy === 'function') [policy, _jobID, callback] = [null, null, policy]
    else if (typeof _jobID === 'function') [_jobID, callback] = [null, _jobID]
    this.ops = operations
    // A `touch(ttl)` among the operations sets the records' TTL, as in a single `operate`.
    const touch = Array.isArray(operations) ? operations.find((o) => o && (o as { op?: string }).op === 'touch' && (o as { ttl?: number }).ttl !== undefined) : undefined
    return settle(this._job((w) => {
      w.u8(2)
      writeOps(w, operations)
    }, (policy as WritePolicy | null) ?? undefined, (touch as { ttl?: number } | undefined)?.ttl), callback ?? undefined)
  }

  private async _job(tail: (w: Writer) => void, policy: WritePolicy | undefined, opTtl?: number): Promise<Job> {
    let req: Buffer
    try {
      const head = this._request(undefined)
      const w = new Writer(head.length + 128)
      w.raw(head)
      const jobTtl = this.ttl ?? opTtl
      const ttl = jobTtl !== undefined && (policy as { ttl?: number } | undefined)?.ttl === undefined ? { ttl: jobTtl } : {}
      writeWritePolicy(w, { ...this.client._policies.write, ...ttl, ...(policy ?? {}) } as WritePolicy)
      tail(w)
      req = w.finish()
    } catch (e) {
      throw inputError(e)
    }
    try {
      const j = await this.client._conn().background(req)
      return new Job(this.client, j.id, this instanceof Scan ? 'scan' : 'query')
    } catch (e) {
      throw fromNative(e)
    }
  }

  /** Reads only the partitions `[begin, begin + count)` (of 4096). */
  partitions(begin: number, count: number): this {
    if (!Number.isInteger(begin) || !Number.isInteger(count) || begin < 0 || count < 1 || begin + count > 4096) {
      throw new TypeError('partitions: begin and count must select partitions within 0..4095')
    }
    this._partitions = [begin, count]
    return this
  }

  /** With `paginate`: whether another page remains after the last `results()`. */
  hasNextPage(): boolean {
    return !this._pageDone
  }

  /** @internal Encodes the request. */
  _request(policy: QueryRunPolicy | undefined): Buffer {
    const p = (policy ?? {}) as QueryRunPolicy
    if (p === null || typeof p !== 'object') throw new TypeError('policy must be an object')
    const w = new Writer(128)
    w.str(this.ns)
    w.str(this.set ?? '')
    if (this.nobins) w.u8(1)
    else if (this.selected) {
      w.u8(2)
      w.u32(this.selected.length)
      for (const b of this.selected) w.str(b)
    } else w.u8(0)
    const f = this.filters[0]
    if (!f) w.u8(0)
    else {
      const indexName = f.indexName
      if (indexName === undefined && f.bin === null) throw new TypeError('filter: a filter without a bin needs query.whereWithIndexName()')
      w.u8(KINDS[f.kind])
      w.str(f.bin ?? '')
      w.str(indexName ?? '')
      w.u8(f.indexType)
      switch (f.kind) {
        case 'equal':
          writeValue(w, f.values[0], `filter on "${f.bin}"`)
          break
        case 'range':
          w.i64(f.values[0] as bigint)
          w.i64(f.values[1] as bigint)
          break
        case 'geoWithinRadius':
          for (const v of f.values) w.f64(v as number)
          break
        default:
          w.str(f.values[0] as string)
      }
      const indexExp = f.exp === undefined || f.exp === null ? null : packedExpression(f.exp, 'filter exp')
      w.u8((f.context ? 1 : 0) | (indexExp ? 2 : 0))
      if (f.context) w.bytes(f.context)
      if (indexExp) w.bytes(indexExp)
    }
    writeBase(w, p)
    const max = p.maxRecords ?? this.maxRecords
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) throw new TypeError('maxRecords must be a non-negative integer')
    w.f64(max)
    const q = p.recordQueueSize ?? 0
    if (typeof q !== 'number' || !Number.isInteger(q) || q < 0 || q > 0xffffffff) throw new TypeError('recordQueueSize must be a non-negative integer')
    w.u32(q)
    if (this._partitions) {
      w.u8(1)
      w.u32(this._partitions[0])
      w.u32(this._partitions[1])
    } else w.u8(0)
    return w.finish()
  }

  /** @internal Starts a native query (resuming the page cursor with `paginate`). */
  _start(policy: QueryRunPolicy | undefined): NativeQuery {
    let req: Buffer
    try {
      req = this._request(policy)
    } catch (e) {
      throw inputError(e)
    }
    const cursor = this.paginate ? this._cursor : null
    let q: NativeQuery
    try {
      q = native.NativeQuery.create(this.client._conn(), req, cursor)
    } catch (e) {
      throw fromNative(e)
    }
    // A page's cursor comes from the crate's stream, which tracks the partitions.
    if (this.paginate) q.keepCursor()
    return q
  }

  /** @internal Remembers where a page stopped. */
  async _finishPage(q: NativeQuery): Promise<void> {
    if (!this.paginate) return
    const c = await q.cursor()
    this._cursor = c ?? null
    this._pageDone = c ? c.done : true
    this.queryState = c && !c.done ? c : undefined
  }

  /** Reads every (remaining) record; with `paginate`, the next page. */
  results(policy?: QueryRunPolicy): Promise<AerospikeRecord[]> {
    return this.client._stats.track(this instanceof Scan ? 'scan' : 'query', this._results(policy), this.ns)
  }

  private async _results(policy?: QueryRunPolicy): Promise<AerospikeRecord[]> {
    if (this.udf) {
      if (this.paginate) throw new Error(PAGINATED_UDF)
      return (await this._aggregate(policy)).map(udfRecord)
    }
    const out: AerospikeRecord[] = []
    const q = this._start(policy)
    for (;;) {
      const [done, records] = await pull(q, 4096)
      for (const r of records) out.push(r)
      if (done) break
    }
    await this._finishPage(q)
    return out
  }

  /** Streams the records as events: `data` per record, then `end` (or `error`). */
  foreach(policy?: QueryRunPolicy | null, dataCb?: (r: AerospikeRecord) => void, errorCb?: (e: Error) => void, endCb?: () => void): RecordStream {
    const stream = new RecordStream()
    stream.query = this
    if (dataCb) stream.on('data', dataCb)
    if (errorCb) stream.on('error', errorCb)
    if (endCb) stream.on('end', endCb)
    if (this.udf) {
      if (this.paginate) throw new Error(PAGINATED_UDF)
      stream._values(this._aggregate(policy))
      return stream
    }
    let q: NativeQuery
    try {
      q = this._start(policy ?? undefined)
    } catch (e) {
      queueMicrotask(() => stream._fail(e as Error))
      return stream
    }
    stream._run(q, async () => this._finishPage(q))
    const rec = this.client._stats.recorder
    if (rec?.enabled) {
      // Per-namespace metrics: a stream aborted or failed counts as an error (as the official client's).
      const m = rec.begin(this.ns, LAT.query, 0)
      stream.prependOnceListener('end', () => m.end(0, stream.aborted || stream._error ? (stream._error ?? new AerospikeError('query aborted', status.ERR_CLIENT_ABORT)) : undefined))
    }
    return stream
  }

  /** Iterates the records, pulling more from the server only as they are consumed. */
  [Symbol.asyncIterator](): AsyncGenerator<AerospikeRecord> {
    return this.stream()
  }

  /**
   * The records as column batches of at most `rows` records: the bins of `spec` filled in Rust
   * (no JavaScript object per record), plus each record's digest and user key (see
   * docs/columnar.md). Filters, `partitions()`, `filterExpression`, `maxRecords` and `paginate`
   * work as for the record streams; breaking out stops the query.
   */
  columns<C extends ColumnSpec>(spec: C, options?: ColumnsOptions): AsyncGenerator<ScanColumns<C>> {
    const { rows, ...policy } = options ?? {}
    const [selected, nobins] = [this.selected, this.nobins]
    // Only the spec's bins travel from the server.
    this.selected = spec !== null && typeof spec === 'object' ? Object.keys(spec) : []
    this.nobins = false
    let q: NativeQuery
    try {
      q = this._start(policy)
    } finally {
      ;[this.selected, this.nobins] = [selected, nobins]
    }
    return scanColumns(q, spec, rows, (nq) => this._finishPage(nq))
  }

  /** Like `for await (const r of query)`, with a policy. Breaking out stops the query. */
  stream(policy?: QueryRunPolicy): AsyncGenerator<AerospikeRecord> {
    return new RecordIterator(
      () => this._start(policy),
      (q) => this._finishPage(q),
    )
  }
}

/** A scan: a query without a filter over a whole set or namespace. */
export class Scan extends Query {
  /** Accepted for compatibility; nodes are always scanned concurrently. */
  concurrent = true

  /** The paging state, under the official scan's name (see {@link Query.queryState}); assigning
   * it resumes from there, as {@link Query.nextPage} does. */
  get scanState(): unknown {
    return this.queryState
  }
  set scanState(state: unknown) {
    this.nextPage(state)
  }

  override where(_filter?: Filter): this {
    throw new TypeError('a scan takes no filter; use client.query() for secondary-index filters')
  }
}

/**
 * The event stream of `foreach()`: `data` (a record), `error`, `end`. `abort()` stops it
 * (then `end` follows). Records are pulled in chunks as the listeners take them.
 */
export class RecordStream extends EventEmitter {
  aborted = false
  private q: NativeQuery | null = null
  /** @internal The query whose paging state `end` passes on. */
  query: Query | null = null

  /** @internal Emits the values of an aggregation as records (`bins` is the value). */
  _values(p: Promise<unknown[]>): void {
    setImmediate(() => {
      p.then(
        (values) => {
          for (const v of values) {
            if (this.aborted) break
            this.emit('data', udfRecord(v))
          }
          this.emit('end')
        },
        (e: Error) => this._fail(e),
      ).catch((e) => queueMicrotask(() => {
        throw e
      }))
    })
  }

  /** Stops the query; `end` is emitted after the records already delivered. */
  abort(): void {
    this.aborted = true
    void this.q?.close()
  }

  /** @internal The error that ended the stream, if any. */
  _error: Error | undefined = undefined

  /** @internal */
  _fail(e: Error): void {
    this._error = e
    this.emit('error', e instanceof AerospikeError || e instanceof TypeError ? e : fromNative(e))
    this.emit('end')
  }

  /** @internal */
  _run(q: NativeQuery, onEnd: () => Promise<void>): void {
    this.q = q
    const loop = async () => {
      try {
        for (;;) {
          if (this.aborted) break
          const [done, records] = await pull(q, CHUNK)
          for (const r of records) {
            if (this.aborted) break
            this.emit('data', r)
          }
          if (done) break
        }
        await onEnd()
        this.emit('end', this.query?.queryState)
      } catch (e) {
        this._fail(e as Error)
      }
    }
    // Let the caller attach listeners first.
    setImmediate(() => {
      // An 'error' event nobody listens for throws, as EventEmitter always does: surface it as
      // an uncaught exception, never as an unhandled rejection.
      loop().catch((e) => queueMicrotask(() => {
        throw e
      }))
    })
  }
}
