/**
 * `MetricsPolicy` and `MetricsListeners`, the arguments of `client.enableMetrics()`, as the
 * official client has them, and the checks `enableMetrics()` makes of them.
 * @module
 */
import { AerospikeError } from './errors'
import { registerPolicyClass } from './policies/create'
import { status } from './status'
import type { Cluster, Node } from './metrics_cluster'

// The listeners' arguments are typed `any`, as in the official typings (so that listeners written
// for them, with any parameter type, are accepted); the values are a {@link Cluster} / {@link Node}.
/** Called once metrics are enabled. */
export type enableListener = () => void
/** Called with a cluster snapshot (a {@link Cluster}) every `interval` tend rounds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type snapshotListener = (cluster: Cluster | any) => void
/** Called with a node's last snapshot (a {@link Node}) when the node leaves the cluster. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type nodeCloseListener = (node: Node | any) => void
/** Called with a last cluster snapshot (a {@link Cluster}) when metrics are disabled. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type disableListener = (cluster: Cluster | any) => void

/** Constructor argument of {@link MetricsListeners}. */
export interface MetricsListenersOptions {
  /** Called when periodic metrics have been enabled. */
  enableListener: enableListener
  /** Called with a cluster snapshot every `interval` tend rounds. */
  snapshotListener: snapshotListener
  /** Called when a node is dropped from the cluster. */
  nodeCloseListener: nodeCloseListener
  /** Called with a last snapshot when periodic metrics have been disabled. */
  disableListener: disableListener
}

/**
 * The four metrics callbacks. Set all of them or none: with none, metrics are written to files
 * in `MetricsPolicy.reportDir`.
 */
export class MetricsListeners {
  /** Called when periodic metrics have been enabled. */
  enableListener: enableListener
  /** Called with a cluster snapshot every `interval` tend rounds. */
  snapshotListener: snapshotListener
  /** Called when a node is dropped from the cluster. */
  nodeCloseListener: nodeCloseListener
  /** Called with a last snapshot when periodic metrics have been disabled. */
  disableListener: disableListener

  constructor(options: MetricsListenersOptions) {
    this.enableListener = options.enableListener
    this.snapshotListener = options.snapshotListener
    this.nodeCloseListener = options.nodeCloseListener
    this.disableListener = options.disableListener
  }
}

/** Constructor argument of {@link MetricsPolicy}. */
export interface MetricsPolicyOptions {
  /** Callbacks receiving the metrics; without them, metrics are written to files. */
  metricsListeners?: MetricsListeners
  /** Directory of the metrics files (at most 255 characters). Default `.`. */
  reportDir?: string
  /**
   * Size (bytes) after which a metrics file is closed and a new one started; 0 (the default)
   * for no limit, else at least 1,000,000.
   */
  reportSizeLimit?: number
  /** Tend rounds (`Config.tenderInterval`) between two snapshots. Default 30. */
  interval?: number
  /** Buckets of each latency histogram. Default 7. */
  latencyColumns?: number
  /**
   * Power of two between the upper bounds (ms) of two buckets, from the second one: with 1, the
   * buckets are ≤1 ms, ≤2 ms, ≤4 ms …, the last one holding the rest. Default 1.
   */
  latencyShift?: number
  /** Name/value labels written with each snapshot. */
  labels?: { [key: string]: string }
}

/** What `client.enableMetrics()` reports, how often, and where (the fields of {@link MetricsPolicyOptions}). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface MetricsPolicy extends MetricsPolicyOptions {}

/** What `client.enableMetrics()` reports, how often, and where. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class MetricsPolicy {
  constructor(props?: MetricsPolicyOptions | null) {
    const p = props ?? {}
    this.metricsListeners = p.metricsListeners
    this.reportDir = p.reportDir
    this.reportSizeLimit = p.reportSizeLimit
    this.interval = p.interval
    this.latencyColumns = p.latencyColumns
    this.latencyShift = p.latencyShift
    this.labels = p.labels
  }
}

registerPolicyClass('metrics', MetricsPolicy)

/** @internal A checked metrics policy, defaults applied. */
export interface ResolvedMetricsPolicy {
  listeners: MetricsListenersOptions | null
  reportDir: string
  reportSizeLimit: number
  interval: number
  latencyColumns: number
  latencyShift: number
  labels: [string, string][]
}

/** The smallest `reportSizeLimit` other than 0. */
export const MIN_REPORT_SIZE = 1_000_000

const LISTENER_NAMES = ['enableListener', 'snapshotListener', 'nodeCloseListener', 'disableListener'] as const

const isSet = (v: unknown) => v !== undefined && v !== null

/**
 * @internal The argument checks `enableMetrics()` makes before anything else (TypeErrors, as
 * the official client's): the policy is an object, each listener given is a function.
 */
export function checkMetricsArgs(policy: unknown): void {
  if (isSet(policy) && typeof policy !== 'object') throw new TypeError('policy must be an object')
  const listeners = isSet(policy) ? (policy as MetricsPolicyOptions).metricsListeners : undefined
  if (!listeners || typeof listeners !== 'object') return
  for (const name of LISTENER_NAMES) {
    const f = (listeners as unknown as Record<string, unknown>)[name]
    if (isSet(f) && typeof f !== 'function') throw new TypeError(`${name} must be a function`)
  }
}

const invalid = () => new AerospikeError('Metrics policy parameter invalid', status.ERR_PARAM)

/** A whole number in [min, max]; `undefined` / `null` give `dflt`. */
function intField(v: unknown, dflt: number, min: number, max: number): number {
  if (!isSet(v)) return dflt
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalid()
  return v
}

/**
 * @internal Checks a metrics policy (after {@link checkMetricsArgs}) and applies the defaults;
 * an invalid one is an `AerospikeError` `ERR_PARAM` ("Metrics policy parameter invalid"), and a
 * `reportSizeLimit` under 1,000,000 an `ERR_CLIENT`, with the official client's messages.
 */
export function resolveMetricsPolicy(policy: MetricsPolicyOptions | null | undefined): ResolvedMetricsPolicy {
  const p = policy ?? {}
  let listeners: MetricsListenersOptions | null = null
  const l = p.metricsListeners as unknown
  if (l !== null && typeof l === 'object') {
    const fns = LISTENER_NAMES.map((n) => (l as Record<string, unknown>)[n])
    const given = fns.filter((f) => typeof f === 'function').length
    if (given === LISTENER_NAMES.length) listeners = l as MetricsListenersOptions
    else if (given > 0) throw invalid()
  }
  const labels: [string, string][] = []
  if (isSet(p.labels)) {
    if (typeof p.labels !== 'object') throw invalid()
    for (const [k, v] of Object.entries(p.labels as object)) {
      if (typeof v !== 'string') throw invalid()
      labels.push([k, v])
    }
  }
  let reportDir = '.'
  if (isSet(p.reportDir)) {
    if (typeof p.reportDir !== 'string' || p.reportDir.length === 0 || p.reportDir.length > 255) throw invalid()
    reportDir = p.reportDir
  }
  const reportSizeLimit = intField(p.reportSizeLimit, 0, 0, Number.MAX_SAFE_INTEGER)
  const interval = intField(p.interval, 30, 1, 0xffffffff)
  const latencyColumns = intField(p.latencyColumns, 7, 1, 255)
  const latencyShift = intField(p.latencyShift, 1, 0, 255)
  if (reportSizeLimit !== 0 && reportSizeLimit < MIN_REPORT_SIZE) {
    throw new AerospikeError(`Metrics policy report_size_limit ${reportSizeLimit} must be at least ${MIN_REPORT_SIZE}`, status.ERR_CLIENT)
  }
  return { listeners, reportDir, reportSizeLimit, interval, latencyColumns, latencyShift, labels }
}
