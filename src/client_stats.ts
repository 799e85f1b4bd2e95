/**
 * The client's own statistics and metrics: `stats()`, `prometheusMetrics()`, and the periodic
 * metrics of the official API, `enableMetrics()` / `disableMetrics()` (run by
 * `metrics_session.ts`).
 * @module
 */
import { Client } from './client'
import type { Callback } from './callbacks'
import { prometheusText, type ClientStats } from './metrics'
import type { MetricsPolicy } from './metrics_policy'
import { disableMetrics as disable, enableMetrics as enable } from './metrics_session'

declare module './client' {
  interface Client {
    /**
     * Statistics: commands in flight, per-kind counters (completed, errors, timeouts, in doubt) and
     * latency histograms, and per-node connection counts (plus retries and errors per node while
     * {@link enableMetrics} is on).
     */
    stats(): ClientStats
    /** {@link stats} in the Prometheus text exposition format (0.0.4), metric names prefixed `prefix_`. */
    prometheusMetrics(prefix?: string): string
    /**
     * Enables periodic metrics, as the official client: every `policy.interval` tend rounds a
     * cluster snapshot goes to `policy.metricsListeners`, or, without listeners, to a metrics file
     * in `policy.reportDir` (see docs of {@link MetricsPolicy}). Without a policy,
     * `config.policies.metrics` or the defaults apply. Also turns on the per-node retry and error
     * counters of {@link stats}. Enabling again replaces the running session.
     */
    enableMetrics(policy?: MetricsPolicy | null | Callback<void>, callback?: Callback<void>): Promise<void>
    /** Disables periodic metrics (the disable listener gets, or the file receives, a last snapshot). */
    disableMetrics(callback?: Callback<void>): Promise<void>
  }
}

/** A node's connections in the official `stats()` shape. The crate counts connections opened
 * only while its metrics are on; the ones open now were opened too. */
function connectionCounts(n: import('../native').NodeStats) {
  return { inUse: n.connsInUse, inPool: n.connsInPool, opened: Math.max(n.connsOpened, n.connsOpen), closed: n.connsClosed, recovered: 0, aborted: 0 }
}

Client.prototype.stats = function stats(this: Client): ClientStats {
  const byKind: ClientStats['byKind'] = {}
  let inFlight = 0
  for (const [k, c] of this._stats.kinds) {
    byKind[k] = c.snapshot()
    inFlight += c.inFlight
  }
  const nodes = this._native
    ? this._native.nodeStats().map((n) => ({
        name: n.name,
        address: n.address,
        conns: { open: n.connsOpen, inUse: n.connsInUse, inPool: n.connsInPool, opened: n.connsOpened, closed: n.connsClosed },
        asyncConnections: connectionCounts(n),
        syncConnections: connectionCounts(n),
        retries: n.retries,
        errors: n.errors,
      }))
    : []
  return { commands: { inFlight, queued: 0 }, byKind, nodes }
}

Client.prototype.prometheusMetrics = function prometheusMetrics(this: Client, prefix = 'aerospike_napi'): string {
  if (typeof prefix !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) throw new TypeError('prefix must be a valid Prometheus metric name')
  return prometheusText(this.stats(), prefix)
}

Client.prototype.enableMetrics = function enableMetrics(this: Client, policy?: MetricsPolicy | null | Callback<void>, callback?: Callback<void>): Promise<void> {
  return enable(this, policy, callback)
}

Client.prototype.disableMetrics = function disableMetrics(this: Client, callback?: Callback<void>): Promise<void> {
  return disable(this, callback)
}
