/**
 * The default metrics listeners: snapshots written to `metrics-YYYYMMDDHHMMSS.log` files in
 * `MetricsPolicy.reportDir`, in the official C client's format (header version 2), a new file
 * being started once `reportSizeLimit` bytes were written.
 * @module
 * @internal
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs'
import path from 'node:path'
import { AerospikeError } from './errors'
import { status } from './status'
import type { Cluster, ConnectionStats, NamespaceMetrics, Node } from './metrics_cluster'
import { LATENCY_TYPES } from './metrics_recorder'

/** The client type written in each snapshot. */
export const CLIENT_LANGUAGE = 'nodejs'

let version: string | undefined
/** This package's version. */
export function clientVersion(): string {
  if (version === undefined) {
    try {
      version = String(JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version)
    } catch {
      version = 'unknown'
    }
  }
  return version
}

const pad = (n: number) => String(n).padStart(2, '0')
/** Local time, `YYYY-MM-DD HH:MM:SS`. */
function timestamp(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}
/** Local time, `YYYYMMDDHHMMSS`. */
function fileTimestamp(d = new Date()): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`
}

/** Process CPU use (% of one core since the process started) and memory (Linux: virtual size in KiB, else resident bytes). */
export function processUsage(): { cpu: number; mem: number } {
  const u = process.cpuUsage()
  const up = process.uptime()
  const cpu = up > 0 ? Math.round((u.user + u.system) / 1e6 / up * 100) : 0
  let mem = 0
  if (process.platform === 'linux') {
    try {
      // Fields after the command name (which may hold spaces): vsize is field 23 of the file.
      const stat = readFileSync('/proc/self/stat', 'utf8')
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      mem = Math.round(Number(rest[20]) / 1024)
    } catch {
      mem = 0
    }
  }
  if (!mem) mem = process.memoryUsage().rss
  return { cpu, mem }
}

function conn(c: ConnectionStats): string {
  return `${c.inUse},${c.inPool},${c.opened},${c.closed},${c.recovered},${c.aborted}`
}

function namespace(m: NamespaceMetrics): string {
  const hist = [m.connLatency, m.writeLatency, m.readLatency, m.batchLatency, m.queryLatency]
  const lat = LATENCY_TYPES.map((t, i) => `${t}[${hist[i]!.join(',')}]`).join(',')
  return `${m.ns},${m.errorCount},${m.timeoutCount},${m.keyBusyCount},${m.bytesIn},${m.bytesOut},[${lat}]`
}

/** A node, as the file holds it: `[name,address,port,syncConn,asyncConn,[namespaces]]`. */
export function nodeLine(n: Node): string {
  return `[${n.name},${n.address},${n.port},${conn(n.syncConns)},${conn(n.conns)},[${n.metrics.map(namespace).join(',')}]]`
}

/** A cluster snapshot line (without the newline). */
export function clusterLine(c: Cluster, labels: [string, string][], when = new Date()): string {
  const { cpu, mem } = processUsage()
  const lbl = labels.map(([k, v]) => `[${k},${v}]`).join(',')
  const loop = `[${c.eventLoop.processSize},${c.eventLoop.queueSize}]`
  return (
    `${timestamp(when)} cluster[${c.clusterName},${CLIENT_LANGUAGE},${clientVersion()},${c.appId ?? ''},[${lbl}],${cpu},${mem},` +
    `${c.invalidNodeCount},${c.commandCount},${c.retryCount},${c.delayQueueTimeoutCount},[${loop}],[${c.nodes.map(nodeLine).join(',')}]]`
  )
}

/** The first line of each file. */
export function headerLine(columns: number, shift: number, when = new Date()): string {
  return (
    `${timestamp(when)} header(2) cluster[name,clientType,clientVersion,appId,label[],cpu,mem,invalidNodeCount,commandCount,retryCount,delayQueueTimeoutCount,eventloop[],node[]] ` +
    'label[name,value] eventloop[processSize,queueSize] node[name,address,port,syncConn,asyncConn,namespace[]] conn[inUse,inPool,opened,closed,recovered,aborted] ' +
    `namespace[name,errors,timeouts,keyBusy,bytesIn,bytesOut,latency[]] latency(${columns},${shift})[type[l1,l2,l3...]]`
  )
}

/** Writes snapshots to rotating files. */
export class MetricsFileWriter {
  private fd: number | null = null
  private size = 0
  /** Names of the files this writer has written. */
  private readonly used = new Set<string>()
  /** The file being written. */
  file = ''

  constructor(
    readonly dir: string,
    readonly sizeLimit: number,
    readonly columns: number,
    readonly shift: number,
    readonly labels: [string, string][],
  ) {}

  /** Opens a new file and writes its header; an `ERR_CLIENT` error if it cannot. */
  open(): void {
    // A file started within the same second as the previous one gets a suffix instead of
    // overwriting it (the C client reopens the same name).
    const base = path.join(this.dir, `metrics-${fileTimestamp()}`)
    let name = `${base}.log`
    for (let i = 1; this.used.has(name); i++) name = `${base}-${i}.log`
    this.used.add(name)
    this.file = name
    try {
      this.fd = openSync(this.file, 'w')
    } catch (e) {
      throw new AerospikeError(`Failed to open file: ${this.file}`, status.ERR_CLIENT, false, { cause: e })
    }
    this.size = 0
    this.write(headerLine(this.columns, this.shift) + '\n')
  }

  /** Appends a line, starting a new file once the size limit is reached. */
  write(line: string): void {
    if (this.fd === null) return
    this.size += writeSync(this.fd, line)
    if (this.sizeLimit > 0 && this.size >= this.sizeLimit) {
      closeSync(this.fd)
      this.fd = null
      this.open()
    }
  }

  snapshot(c: Cluster): void {
    this.write(clusterLine(c, this.labels) + '\n')
  }

  nodeClose(n: Node): void {
    this.write(`${timestamp()} ${nodeLine(n)}\n`)
  }

  /** Writes a last snapshot and closes the file. */
  close(c: Cluster | null): void {
    if (this.fd === null) return
    if (c) this.snapshot(c)
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }
}
