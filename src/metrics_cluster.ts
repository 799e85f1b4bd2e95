/**
 * The objects the metrics listeners receive (`Cluster`, `Node`, `NamespaceMetrics`,
 * `ConnectionStats`, `EventLoop`), in the official client's shapes, and how a snapshot of them
 * is built from what the client knows: the Rust core's per-node connection counters and the
 * facade's per-namespace counters (`metrics_recorder.ts`).
 * @module
 */
import type { MetricsRecorder, NsCounters } from './metrics_recorder'

type NativeNodeStats = import('../native').NodeStats

/** A node's connections. */
export interface ConnectionStats {
  /** Connections idle in the pool. */
  inPool: number
  /** Connections in use by commands. */
  inUse: number
  /** Connections opened since the node was added (counted while metrics are enabled). */
  opened: number
  /** Connections closed since the node was added. */
  closed: number
  /** Connections recovered after a timeout (the Rust core closes them instead: always 0). */
  recovered: number
  /** Connections whose recovery failed (always 0, as `recovered`). */
  aborted: number
}

/** Commands of the event loop. */
export interface EventLoop {
  /** Commands being processed. */
  processSize: number
  /** Commands waiting to start (always 0: commands are never queued). */
  queueSize: number
}

/**
 * One namespace's counters. They are cumulative (not reset per snapshot); the latency
 * histograms restart on each `enableMetrics()`.
 */
export interface NamespaceMetrics {
  /** The namespace ('' for commands of no namespace: batches, info). */
  ns: string
  /**
   * Bytes received for single-record commands: an estimate, the Rust core not counting socket
   * bytes (the 30 header bytes of each response plus its encoded result).
   */
  bytesIn: number
  /** Bytes sent for single-record commands (estimated as `bytesIn`: headers plus the encoded request). */
  bytesOut: number
  /** Commands failed (timeouts and key-busy errors excepted). */
  errorCount: number
  /** Commands timed out. */
  timeoutCount: number
  /** Commands failed with `ERR_RECORD_BUSY`. */
  keyBusyCount: number
  /** Connection latency histogram (buckets as `MetricsPolicy.latencyShift` describes). */
  connLatency: Array<number>
  /** Write latency histogram. */
  writeLatency: Array<number>
  /** Read latency histogram. */
  readLatency: Array<number>
  /** Batch latency histogram. */
  batchLatency: Array<number>
  /** Query and scan latency histogram. */
  queryLatency: Array<number>
}

/** A server node. */
export interface Node {
  /** Node name. */
  name: string
  /** Node IP address (or host name). */
  address: string
  /** Node port. */
  port: number
  /** Connections of the node's pool. */
  conns: ConnectionStats
  /** Connections of a separate synchronous pool (this client has none: all zero). */
  syncConns: ConnectionStats
  /** Namespace counters. */
  metrics: Array<NamespaceMetrics>
}

/** A cluster snapshot. */
export interface Cluster {
  /** `Config.appId`, or null. */
  appId?: string
  /** The expected cluster name (`Config.clusterName`), or ''. */
  clusterName: string
  /** Commands started while metrics were enabled (cumulative). */
  commandCount: number
  /** Commands that waited too long in a delay queue (always 0: commands are never queued). */
  delayQueueTimeoutCount: number
  /** Commands in progress. */
  eventLoop: EventLoop
  /** Seeds or peers that failed to become nodes in the last tend round (not tracked: 0). */
  invalidNodeCount: number
  /** The policy's labels. */
  labels?: { [key: string]: string }
  /** Same as `commandCount` (its former name). */
  transactionCount: number
  /** Command attempts retried (counted while metrics are enabled). */
  retryCount: number
  /** The nodes. */
  nodes: Node[]
}

/** @internal What a snapshot is built from. */
export interface SnapshotSource {
  appId: string | null
  clusterName: string
  labels: [string, string][]
  nodes: NativeNodeStats[]
  recorder: MetricsRecorder
  inFlight: number
}

const zeroConns = (): ConnectionStats => ({ inPool: 0, inUse: 0, opened: 0, closed: 0, recovered: 0, aborted: 0 })

/** Splits `host:port` (or `[v6]:port`). */
export function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':')
  if (i < 0) return { host: address, port: 0 }
  let host = address.slice(0, i)
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  return { host, port: Number(address.slice(i + 1)) || 0 }
}

/** @internal One namespace's counters as listeners see them. */
export function namespaceMetrics(c: NsCounters): NamespaceMetrics {
  const [conn, write, read, batch, query] = c.latency.map((h) => h.slice())
  return {
    ns: c.ns,
    bytesIn: c.bytesIn,
    bytesOut: c.bytesOut,
    errorCount: c.errors,
    timeoutCount: c.timeouts,
    keyBusyCount: c.keyBusy,
    connLatency: conn!,
    writeLatency: write!,
    readLatency: read!,
    batchLatency: batch!,
    queryLatency: query!,
  }
}

/** @internal A node, with the given namespace counters. */
export function nodeSnapshot(n: NativeNodeStats, metrics: NamespaceMetrics[]): Node {
  const { host, port } = splitAddress(n.address)
  return {
    name: n.name,
    address: host,
    port,
    conns: { inUse: n.connsInUse, inPool: n.connsInPool, opened: Math.max(n.connsOpened, n.connsOpen), closed: n.connsClosed, recovered: 0, aborted: 0 },
    syncConns: zeroConns(),
    metrics,
  }
}

/**
 * @internal A cluster snapshot. The facade does not know which node served a command: the
 * namespace counters are the client's, reported on the first node (the only one of a
 * single-node cluster), the other nodes having none.
 */
export function clusterSnapshot(src: SnapshotSource): Cluster {
  const ns = [...src.recorder.byNs.values()].map(namespaceMetrics)
  const retries = src.nodes.reduce((s, n) => s + n.retries, 0)
  return {
    // The official client gives null when there is no appId.
    appId: src.appId as string | undefined,
    clusterName: src.clusterName,
    commandCount: src.recorder.commandCount,
    invalidNodeCount: 0,
    transactionCount: src.recorder.commandCount,
    retryCount: retries,
    delayQueueTimeoutCount: 0,
    labels: Object.fromEntries(src.labels),
    eventLoop: { processSize: src.inFlight, queueSize: 0 },
    nodes: src.nodes.map((n, i) => nodeSnapshot(n, i === 0 ? ns : [])),
  }
}
