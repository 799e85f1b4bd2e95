/**
 * Background jobs with the official client's shape: {@link Job} (a query or scan applying a UDF
 * or operations in the background), and the polling every job kind shares (`wait()` /
 * `waitUntilDone()` repeat `checkStatus()` until the job is done). `IndexJob` (src/indexes.ts)
 * and `UdfJob` (src/udf.ts) extend it with their own `info()` and `hasCompleted()`.
 * @module
 */
import type { Client } from './client'
import { settle, splitCallback, type Callback } from './callbacks'
import { jobStatus } from './enums'
import { AerospikeError } from './errors'

/** Default polling interval of `wait()`, in milliseconds (as in the official client). */
const DEFAULT_POLL_INTERVAL = 1000

/** What `job.info()` resolves with for a query or scan job. */
export interface JobInfoResponse {
  /** `jobStatus.INPROGRESS` or `jobStatus.COMPLETED`. */
  status: number
  /** Progress in percent (the least advanced node). */
  progressPct: number
  /** Records processed so far (all nodes). */
  recordsRead: number
}

/** Parses one node's `query-show:trid=…` answer; `null` when the node does not know the job. */
export function parseJobInfo(answer: string): JobInfoResponse | null {
  const line = answer.split('\n')[0] ?? ''
  const value = line.includes('\t') ? line.slice(line.indexOf('\t') + 1) : line
  const err = /^ERROR:(-?\d+)(?::(.*))?/i.exec(value.trim())
  if (err) {
    if (Number(err[1]) === 2 || /not found/i.test(err[2] ?? '')) return null
    throw new AerospikeError(`job info: ${err[2] ?? value}`, Number(err[1]))
  }
  const fields: Record<string, string> = {}
  for (const part of value.split(/[:;]/)) {
    const eq = part.indexOf('=')
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  const st = (fields.status ?? '').toLowerCase()
  const done = st.startsWith('done') || st === 'complete' || st === 'completed'
  const records = Number(fields['recs-succeeded'] ?? fields['recs-read'] ?? fields.recs_read ?? 0)
  const pct = Number(fields['job-progress'] ?? fields.job_progress ?? (done ? 100 : 0))
  return {
    status: done ? jobStatus.COMPLETED : jobStatus.INPROGRESS,
    progressPct: Number.isFinite(pct) ? Math.floor(pct) : 0,
    recordsRead: Number.isFinite(records) ? records : 0,
  }
}

/** A potentially long-running job on the server. */
export class Job<T = JobInfoResponse> {
  /** @internal The exact 64-bit id as sent by the server (jobID is a number). */
  _trid: string

  constructor(
    public client: Client,
    public jobID: number | bigint | string,
    public module?: string,
  ) {
    this._trid = String(jobID)
    if (typeof jobID !== 'number') this.jobID = Number(jobID)
  }

  /** A random job id that is safe as a JavaScript number. */
  static safeRandomJobID(): number {
    return Math.floor(Math.random() * Number.MAX_SAFE_INTEGER)
  }

  /**
   * Calls `statusFunction` until it resolves true (then resolves) or rejects (then rejects),
   * waiting `pollInterval` ms between calls.
   */
  static pollUntilDone(statusFunction: () => Promise<boolean>, pollInterval?: number | null): Promise<void> {
    const interval = typeof pollInterval === 'number' && pollInterval > 0 ? pollInterval : DEFAULT_POLL_INTERVAL
    return new Promise((resolve, reject) => {
      const poll = () => {
        let p: Promise<boolean>
        try {
          p = Promise.resolve(statusFunction())
        } catch (e) {
          reject(e)
          return
        }
        p.then(
          (done) => (done ? resolve() : void setTimeout(poll, interval)),
          (e) => reject(e),
        )
      }
      poll()
    })
  }

  /** Whether `info` says the job is done. */
  hasCompleted(info: T): boolean {
    return (info as unknown as JobInfoResponse).status === jobStatus.COMPLETED
  }

  /** Fetches the job's info once; resolves whether it has completed. */
  checkStatus(): Promise<boolean> {
    return this.info().then((i) => this.hasCompleted(i))
  }

  /** The job's status and progress, over every node of the cluster. */
  info(policy?: unknown, callback?: Callback<T>): Promise<T>
  info(...args: unknown[]): Promise<T> {
    const [[policy], cb] = splitCallback(args)
    return settle(this._queryInfo(policy) as Promise<T>, cb)
  }

  /** @internal `query-show` on every node, combined. */
  async _queryInfo(policy: unknown): Promise<JobInfoResponse> {
    const answers = await this.client.infoAll(`query-show:trid=${this._trid}`, (policy ?? null) as never)
    const out: JobInfoResponse = { status: jobStatus.COMPLETED, progressPct: 100, recordsRead: 0 }
    for (const a of answers) {
      const i = parseJobInfo(a.info)
      if (!i) continue
      if (i.status !== jobStatus.COMPLETED) out.status = jobStatus.INPROGRESS
      out.progressPct = Math.min(out.progressPct, i.progressPct)
      out.recordsRead += i.recordsRead
    }
    return out
  }

  /** Resolves (or calls back) once the job has completed, polling every `pollInterval` ms. */
  wait(pollInterval?: number | null | Callback<void>, callback?: Callback<void>): Promise<void> {
    if (typeof pollInterval === 'function') [pollInterval, callback] = [null, pollInterval]
    return settle(
      Job.pollUntilDone(() => this.checkStatus(), pollInterval),
      callback,
    )
  }

  /** Same as {@link wait}. */
  waitUntilDone(pollInterval?: number | null | Callback<void>, callback?: Callback<void>): Promise<void> {
    return this.wait(pollInterval, callback)
  }
}
