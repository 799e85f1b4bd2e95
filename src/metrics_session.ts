/**
 * `client.enableMetrics(policy?)` / `client.disableMetrics()`: one metrics session per client,
 * taking a snapshot every `interval` tend rounds (`Config.tenderInterval`) and handing it to the
 * policy's listeners, or, without listeners, writing it to the metrics files.
 *
 * As with the official client: enabling again first disables the running session (its disable
 * listener is called, its file gets a last snapshot); `enableMetrics()` without a policy uses
 * `config.policies.metrics`, else the defaults; the enable and disable listeners are called before
 * the command resolves; an exception thrown by a listener is an uncaught exception; closing the
 * client ends the session (a last snapshot is written to the file; listeners are not called).
 * @module
 * @internal
 */
import { settle, type Callback } from './callbacks'
import { clusterSnapshot, nodeSnapshot, type Cluster } from './metrics_cluster'
import { checkMetricsArgs, resolveMetricsPolicy, type MetricsListenersOptions, type MetricsPolicyOptions, type ResolvedMetricsPolicy } from './metrics_policy'
import { LAT, MetricsRecorder } from './metrics_recorder'
import { MetricsFileWriter } from './metrics_writer'
import type { CommandStats } from './metrics'

type NativeClient = import('../native').NativeClient
type NativeNodeStats = import('../native').NodeStats

/** What a session needs of its client. */
export interface MetricsHost {
  _native: NativeClient | null
  _conn(): NativeClient
  readonly _stats: CommandStats
  readonly config: { appId?: string; clusterName?: string; tenderInterval?: number; policies?: { [type: string]: object | undefined } }
}

/** Runs a user listener; what it throws becomes an uncaught exception (as the official client's do). */
function callListener<A extends unknown[]>(f: (...args: A) => void, ...args: A): void {
  try {
    f(...args)
  } catch (e) {
    process.nextTick(() => {
      throw e
    })
  }
}

class MetricsSession {
  private timer: NodeJS.Timeout | null = null
  private tends = 0
  private writer: MetricsFileWriter | null = null
  private readonly listeners: MetricsListenersOptions | null
  /** The nodes of the last tend round, by name. */
  private nodes = new Map<string, NativeNodeStats>()
  /** Connections opened per node at the last snapshot. */
  private opened = new Map<string, number>()
  readonly recorder: MetricsRecorder

  constructor(
    readonly host: MetricsHost,
    readonly policy: ResolvedMetricsPolicy,
  ) {
    this.listeners = policy.listeners
    this.recorder = host._stats.recorder ??= new MetricsRecorder()
  }

  /** Starts counting, opens the file (or calls the enable listener) and starts the snapshots. */
  start(n: NativeClient): void {
    const p = this.policy
    if (!this.listeners) {
      const w = new MetricsFileWriter(p.reportDir, p.reportSizeLimit, p.latencyColumns, p.latencyShift, p.labels)
      w.open()
      this.writer = w
    }
    this.recorder.enable(p.latencyColumns, p.latencyShift)
    n.setNodeMetrics(true)
    for (const s of n.nodeStats()) {
      this.nodes.set(s.name, s)
      this.opened.set(s.name, s.connsOpened)
    }
    const tender = Math.max(10, Number(this.host.config.tenderInterval ?? 1000))
    this.timer = setInterval(() => this.tend(), tender)
    this.timer.unref()
    if (this.listeners) callListener(this.listeners.enableListener)
  }

  /** One tend round: reports nodes gone, and every `interval` rounds a snapshot. */
  private tend(): void {
    const n = this.host._native
    if (!n) return
    let now: NativeNodeStats[]
    try {
      now = n.nodeStats()
    } catch {
      return
    }
    const names = new Set(now.map((s) => s.name))
    for (const [name, last] of this.nodes) {
      if (names.has(name)) continue
      const node = nodeSnapshot(last, [])
      if (this.listeners) callListener(this.listeners.nodeCloseListener, node)
      else this.writer?.nodeClose(node)
    }
    this.nodes = new Map(now.map((s) => [s.name, s]))
    if (++this.tends % this.policy.interval !== 0) return
    const c = this.snapshot(now)
    if (this.listeners) callListener(this.listeners.snapshotListener, c)
    else this.writeSafely(() => this.writer?.snapshot(c))
  }

  /** A write failure (disk full, say) stops the file output instead of throwing from a timer. */
  private writeSafely(f: () => void): void {
    try {
      f()
    } catch {
      this.writer = null
    }
  }

  /**
   * A cluster snapshot. The Rust core does not time connection setup: the connections opened
   * since the last snapshot are counted in the connection latency histogram at the longest
   * command latency seen meanwhile (a command that opened a connection waited for it), an upper
   * bound of their setup time.
   */
  private snapshot(nodes: NativeNodeStats[]): Cluster {
    let opened = 0
    for (const s of nodes) {
      opened += Math.max(0, s.connsOpened - (this.opened.get(s.name) ?? 0))
      this.opened.set(s.name, s.connsOpened)
    }
    const bound = this.recorder.takeMaxLatency()
    if (opened > 0 && bound > 0) this.recorder.addLatency(this.recorder.ns(''), LAT.conn, bound, opened)
    let inFlight = 0
    for (const k of this.host._stats.kinds.values()) inFlight += k.inFlight
    return clusterSnapshot({
      appId: this.host.config.appId ?? null,
      clusterName: this.host.config.clusterName ?? '',
      labels: this.policy.labels,
      nodes,
      recorder: this.recorder,
      inFlight,
    })
  }

  /**
   * Ends the session with a last snapshot: to the disable listener (when `notify`), or to the
   * file, which is then closed.
   */
  stop(notify: boolean): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    const n = this.host._native
    let nodes: NativeNodeStats[] = []
    try {
      nodes = n ? n.nodeStats() : [...this.nodes.values()]
    } catch {
      nodes = [...this.nodes.values()]
    }
    const c = this.snapshot(nodes)
    this.recorder.disable()
    try {
      n?.setNodeMetrics(false)
    } catch {
      // closed meanwhile
    }
    if (this.listeners) {
      if (notify) callListener(this.listeners.disableListener, c)
    } else {
      const w = this.writer
      this.writer = null
      if (w) this.writeSafely(() => w.close(c))
    }
  }
}

const sessions = new WeakMap<MetricsHost, MetricsSession>()

/** `client.enableMetrics(policy?, callback?)`. */
export function enableMetrics(host: MetricsHost, policy?: unknown, callback?: unknown): Promise<void> {
  if (typeof policy === 'function') [policy, callback] = [undefined, policy]
  try {
    checkMetricsArgs(policy)
    if (callback !== undefined && callback !== null && typeof callback !== 'function') throw new TypeError('Callback must be a function')
  } catch (e) {
    // With a callback the official client throws; without, the promise rejects.
    if (callback) throw e
    return Promise.reject(e)
  }
  const run = async () => {
    const n = host._conn()
    const fromConfig = host.config.policies?.metrics as MetricsPolicyOptions | undefined
    const resolved = resolveMetricsPolicy((policy ?? fromConfig) as MetricsPolicyOptions | null | undefined)
    const old = sessions.get(host)
    if (old) {
      sessions.delete(host)
      old.stop(true)
    }
    const s = new MetricsSession(host, resolved)
    s.start(n)
    sessions.set(host, s)
  }
  return settle(run(), (callback ?? undefined) as Callback<void> | undefined)
}

/** `client.disableMetrics(callback?)`: ends the session, if any. */
export function disableMetrics(host: MetricsHost, callback?: unknown): Promise<void> {
  if (callback !== undefined && callback !== null && typeof callback !== 'function') throw new TypeError('Callback must be a function')
  const run = async () => {
    const s = sessions.get(host)
    if (s) {
      sessions.delete(host)
      s.stop(true)
    } else {
      host._native?.setNodeMetrics(false)
    }
  }
  return settle(run(), (callback ?? undefined) as Callback<void> | undefined)
}

/** Ends the session of a client being closed: the file gets its last snapshot, listeners are not called. */
export function closeMetrics(host: MetricsHost): void {
  const s = sessions.get(host)
  if (!s) return
  sessions.delete(host)
  s.stop(false)
}
