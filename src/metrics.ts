/**
 * Client metrics: per-command-kind counters (completed, errors, timeouts, in doubt, in flight)
 * and latency histograms kept by the facade at no cost beyond two clock reads per command,
 * per-node connection and retry statistics from the `aerospike` crate, and their Prometheus
 * text exposition.
 * @module
 */
import { AerospikeError } from './errors'
import { status } from './status'
import { LAT, type MetricsRecorder } from './metrics_recorder'

/** Latency histogram of the promise-tracked kinds (see `metrics_recorder.ts`). */
const TRACKED_LATENCY: Record<string, number> = { batch: LAT.batch, query: LAT.query, scan: LAT.query, apply: LAT.write }

/** Upper bounds (milliseconds) of the latency histogram buckets; a last bucket holds the rest. */
export const LATENCY_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const

/** Counters and latency histogram of one command kind. */
export interface CommandKindStats {
  /** Commands completed (successfully or not). */
  count: number
  /** Commands that failed (timeouts included). */
  errors: number
  /** Commands that failed with `ERR_TIMEOUT`. */
  timeouts: number
  /** Failed writes that may have been applied. */
  inDoubt: number
  /** Commands started and not yet completed. */
  inFlight: number
  /** Sum of latencies, milliseconds. */
  sumMs: number
  /** Commands per latency bucket (non-cumulative; see {@link LATENCY_BUCKETS_MS}, plus one last bucket). */
  buckets: number[]
}

/** @internal The live counters of one kind. */
export class KindCounter {
  count = 0
  errors = 0
  timeouts = 0
  inDoubt = 0
  inFlight = 0
  sumMs = 0
  readonly buckets = new Float64Array(LATENCY_BUCKETS_MS.length + 1)

  /** Records a completion that started at `t0` (`performance.now()`). */
  end(t0: number, err?: unknown): void {
    const ms = performance.now() - t0
    this.inFlight--
    this.count++
    this.sumMs += ms
    let i = 0
    while (i < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[i]!) i++
    this.buckets[i]!++
    if (err !== undefined) {
      this.errors++
      if (err instanceof AerospikeError) {
        if (err.code === status.ERR_TIMEOUT) this.timeouts++
        if (err.inDoubt) this.inDoubt++
      }
    }
  }

  snapshot(): CommandKindStats {
    return {
      count: this.count,
      errors: this.errors,
      timeouts: this.timeouts,
      inDoubt: this.inDoubt,
      inFlight: this.inFlight,
      sumMs: this.sumMs,
      buckets: Array.from(this.buckets),
    }
  }
}

/** @internal Per-client counters, by command kind. */
export class CommandStats {
  readonly kinds = new Map<string, KindCounter>()
  /** Counters of the single-record kinds by dispatch code, for the hot path. */
  readonly fast: KindCounter[] = ['get', 'put', 'exists', 'remove', 'operate'].map((k) => this.kind(k))

  kind(name: string): KindCounter {
    let k = this.kinds.get(name)
    if (!k) {
      k = new KindCounter()
      this.kinds.set(name, k)
    }
    return k
  }

  /** @internal The namespace counters of `enableMetrics()` (null until first enabled). */
  recorder: MetricsRecorder | null = null

  /** Tracks a promise-returning command (of namespace `ns`, '' if none). */
  track<T>(name: string, p: Promise<T>, ns = ''): Promise<T> {
    const k = this.kind(name)
    k.inFlight++
    const t0 = performance.now()
    const m = this.recorder?.enabled ? this.recorder.begin(ns, TRACKED_LATENCY[name] ?? LAT.none, 0) : undefined
    return p.then(
      (v) => {
        k.end(t0)
        m?.end(0)
        return v
      },
      (e) => {
        k.end(t0, e)
        m?.end(0, e)
        throw e
      },
    )
  }
}

/** A node's connections, as the official client's `stats()` reports them. */
export interface ConnectionCounts {
  inUse: number
  inPool: number
  opened: number
  closed: number
  /** Connections recovered after a timeout (the Rust core drops them instead: always 0). */
  recovered: number
  /** Connections aborted (always 0, as `recovered`). */
  aborted: number
}

/** One node's statistics (see `Client.stats()`). */
export interface NodeStats {
  name: string
  address: string
  conns: { open: number; inUse: number; inPool: number; opened: number; closed: number }
  /** The connections under the official client's names (this client has one pool per node,
   * so the two are the same numbers). */
  asyncConnections: ConnectionCounts
  syncConnections: ConnectionCounts
  /** Attempts retried (counted while `enableMetrics()` is on). */
  retries: number
  /** Commands that failed on this node (counted while `enableMetrics()` is on). */
  errors: number
}

/** What `Client.stats()` returns. */
export interface ClientStats {
  /** Client-wide: commands in flight (and `queued`, always 0: commands are never queued in JavaScript). */
  commands: { inFlight: number; queued: number }
  /** Per command kind (`get`, `put`, `exists`, `remove`, `operate`, `batch`, `query`, `scan`, `info`, `truncate`). */
  byKind: Record<string, CommandKindStats>
  nodes: NodeStats[]
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

/** Prometheus text exposition (format 0.0.4) of a stats snapshot. */
export function prometheusText(stats: ClientStats, prefix = 'aerospike_napi'): string {
  const out: string[] = []
  const metric = (name: string, type: string, help: string) => {
    out.push(`# HELP ${prefix}_${name} ${help}`, `# TYPE ${prefix}_${name} ${type}`)
  }
  metric('commands_total', 'counter', 'Commands completed, by kind and outcome (ok, error; timeouts are errors too).')
  for (const [kind, s] of Object.entries(stats.byKind)) {
    out.push(`${prefix}_commands_total{kind="${esc(kind)}",outcome="ok"} ${s.count - s.errors}`)
    out.push(`${prefix}_commands_total{kind="${esc(kind)}",outcome="error"} ${s.errors}`)
  }
  metric('command_timeouts_total', 'counter', 'Commands that failed with a timeout, by kind.')
  for (const [kind, s] of Object.entries(stats.byKind)) out.push(`${prefix}_command_timeouts_total{kind="${esc(kind)}"} ${s.timeouts}`)
  metric('command_in_doubt_total', 'counter', 'Failed writes that may have been applied, by kind.')
  for (const [kind, s] of Object.entries(stats.byKind)) out.push(`${prefix}_command_in_doubt_total{kind="${esc(kind)}"} ${s.inDoubt}`)
  metric('commands_in_flight', 'gauge', 'Commands started and not completed, by kind.')
  for (const [kind, s] of Object.entries(stats.byKind)) out.push(`${prefix}_commands_in_flight{kind="${esc(kind)}"} ${s.inFlight}`)
  metric('command_duration_seconds', 'histogram', 'Command latency as seen by the application, by kind.')
  for (const [kind, s] of Object.entries(stats.byKind)) {
    let cum = 0
    LATENCY_BUCKETS_MS.forEach((le, i) => {
      cum += s.buckets[i]!
      out.push(`${prefix}_command_duration_seconds_bucket{kind="${esc(kind)}",le="${le / 1000}"} ${cum}`)
    })
    cum += s.buckets[LATENCY_BUCKETS_MS.length]!
    out.push(`${prefix}_command_duration_seconds_bucket{kind="${esc(kind)}",le="+Inf"} ${cum}`)
    out.push(`${prefix}_command_duration_seconds_sum{kind="${esc(kind)}"} ${s.sumMs / 1000}`)
    out.push(`${prefix}_command_duration_seconds_count{kind="${esc(kind)}"} ${s.count}`)
  }
  metric('connections', 'gauge', 'Connections per node, by state (in_use, in_pool).')
  for (const n of stats.nodes) {
    out.push(`${prefix}_connections{node="${esc(n.name)}",address="${esc(n.address)}",state="in_use"} ${n.conns.inUse}`)
    out.push(`${prefix}_connections{node="${esc(n.name)}",address="${esc(n.address)}",state="in_pool"} ${n.conns.inPool}`)
  }
  metric('connections_opened_total', 'counter', 'Connections opened, per node.')
  for (const n of stats.nodes) out.push(`${prefix}_connections_opened_total{node="${esc(n.name)}"} ${n.conns.opened}`)
  metric('connections_closed_total', 'counter', 'Connections closed, per node.')
  for (const n of stats.nodes) out.push(`${prefix}_connections_closed_total{node="${esc(n.name)}"} ${n.conns.closed}`)
  metric('node_retries_total', 'counter', 'Command attempts retried, per node (while metrics are enabled).')
  for (const n of stats.nodes) out.push(`${prefix}_node_retries_total{node="${esc(n.name)}"} ${n.retries}`)
  metric('node_errors_total', 'counter', 'Commands failed, per node (while metrics are enabled).')
  for (const n of stats.nodes) out.push(`${prefix}_node_errors_total{node="${esc(n.name)}"} ${n.errors}`)
  return out.join('\n') + '\n'
}
