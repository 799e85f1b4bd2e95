/**
 * The per-namespace counters behind `client.enableMetrics()`: bytes, errors, timeouts, key-busy
 * errors and latency histograms per namespace, as the official client keeps them per node and
 * namespace. The facade does not know which node served a command, so these are per client
 * (see `metrics_cluster.ts` for where a snapshot puts them).
 *
 * A recorder only counts while enabled; its counters are cumulative over the client's life
 * (enabling again only clears the latency histograms), as the official client's are.
 * @module
 * @internal
 */
import { AerospikeError } from './errors'
import { status } from './status'

/** Latency histogram kinds, in the order of the metrics file. */
export const LATENCY_TYPES = ['conn', 'write', 'read', 'batch', 'query'] as const
export type LatencyType = (typeof LATENCY_TYPES)[number]
/** Index of a latency type; -1: no latency recorded (info, admin, truncate). */
export const LAT = { conn: 0, write: 1, read: 2, batch: 3, query: 4, none: -1 } as const

/** The bucket of an elapsed time: ≤1 ms, then upper bounds multiplied by 2^shift, the last one open. */
export function latencyBucket(elapsedMs: number, columns: number, shift: number): number {
  // Whole milliseconds, rounded up, as the official client counts them.
  const ms = Math.ceil(elapsedMs)
  const factor = 2 ** shift
  let limit = 1
  const last = columns - 1
  for (let i = 0; i < last; i++) {
    if (ms <= limit) return i
    limit *= factor
  }
  return last
}

/** One namespace's counters. */
export class NsCounters {
  bytesIn = 0
  bytesOut = 0
  errors = 0
  timeouts = 0
  keyBusy = 0
  latency: number[][]

  constructor(
    readonly ns: string,
    columns: number,
  ) {
    this.latency = LATENCY_TYPES.map(() => new Array<number>(columns).fill(0))
  }
}

/** A command being measured. */
export class Measure {
  constructor(
    readonly rec: MetricsRecorder,
    readonly ns: NsCounters,
    readonly type: number,
    readonly t0: number,
  ) {}

  /** Records its end: `bytesIn` received (0 if unknown), `err` if it failed. */
  end(bytesIn: number, err?: unknown): void {
    this.rec.end(this, bytesIn, err)
  }
}

/** Per-client namespace counters. */
export class MetricsRecorder {
  enabled = false
  columns = 7
  shift = 1
  /** Commands started while enabled (cumulative). */
  commandCount = 0
  /** Longest command latency (ms) since {@link takeMaxLatency}. */
  private maxLatencyMs = 0
  readonly byNs = new Map<string, NsCounters>()

  /** Enables counting with these histogram settings; histograms restart from zero. */
  enable(columns: number, shift: number): void {
    this.columns = columns
    this.shift = shift
    for (const c of this.byNs.values()) c.latency = LATENCY_TYPES.map(() => new Array<number>(columns).fill(0))
    this.maxLatencyMs = 0
    this.enabled = true
  }

  disable(): void {
    this.enabled = false
  }

  ns(name: string): NsCounters {
    let c = this.byNs.get(name)
    if (!c) {
      c = new NsCounters(name, this.columns)
      this.byNs.set(name, c)
    }
    return c
  }

  /** Starts measuring a command on namespace `ns` ('' if none) that sends `bytesOut` bytes. */
  begin(ns: string, type: number, bytesOut: number): Measure {
    this.commandCount++
    const c = this.ns(ns)
    c.bytesOut += bytesOut
    return new Measure(this, c, type, performance.now())
  }

  /** @internal */
  end(m: Measure, bytesIn: number, err?: unknown): void {
    // Counted only while enabled (a command may outlive `disableMetrics()`).
    if (!this.enabled) return
    const c = m.ns
    c.bytesIn += bytesIn
    const elapsed = performance.now() - m.t0
    if (elapsed > this.maxLatencyMs) this.maxLatencyMs = elapsed
    const code = err instanceof AerospikeError ? err.code : err === undefined ? status.OK : status.ERR_CLIENT
    if (code === status.OK || code === status.ERR_RECORD_NOT_FOUND) {
      if (m.type >= 0) this.addLatency(c, m.type, elapsed)
    } else if (code === status.ERR_TIMEOUT) {
      c.timeouts++
    } else if (code === status.ERR_RECORD_BUSY) {
      c.keyBusy++
    } else {
      c.errors++
    }
  }

  addLatency(c: NsCounters, type: number, elapsedMs: number, count = 1): void {
    const h = c.latency[type]!
    const i = latencyBucket(elapsedMs, h.length, this.shift)
    h[i] = h[i]! + count
  }

  /** The longest command latency (ms) since the last call, and starts over. */
  takeMaxLatency(): number {
    const m = this.maxLatencyMs
    this.maxLatencyMs = 0
    return m
  }
}
