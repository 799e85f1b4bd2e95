/**
 * Secondary-index management with the official client's names: `createIndex()` and its typed
 * shortcuts, `indexRemove()`, and the {@link IndexJob} whose `wait()` resolves once the index is
 * built on the server.
 * @module
 */
import { settle, type Callback } from './callbacks'
import type { Client } from './client'
import { AerospikeError } from './errors'
import { Job } from './job'
import { indexType, type IndexType } from './filter'
import { status } from './status'
import { packContext, packedExpression, type AerospikeExp } from './exp/core'
import type { CdtContext } from './cdt_context'

/** What a secondary index stores. */
export const indexDataType = {
  STRING: 0,
  NUMERIC: 1,
  GEO2DSPHERE: 2,
  BLOB: 3,
  /** The official client's name for an integer index (stored as `NUMERIC`). */
  INTEGER: 4,
  DEFAULT: 0,
} as const
/** The values of `indexDataType`, as a type (the official client declares `indexDataType` as an enum). */
export type indexDataType = (typeof indexDataType)[keyof typeof indexDataType]
export type IndexDataType = indexDataType

/** Options of `client.createIndex()`. */
export interface IndexOptions {
  ns: string
  set?: string | null
  /** The indexed bin (required unless `exp` is given). */
  bin?: string
  /** An expression to index instead of a bin (as `client.createExpIndex()`). */
  exp?: AerospikeExp | string
  index: string
  /** Collection index type (`indexType.LIST`, …). @default indexType.DEFAULT */
  type?: IndexType
  datatype: IndexDataType
  /** Index an element nested inside the bin (a list or map), reached by this context. */
  context?: CdtContext
}

/** Options of `client.createExpIndex()`: an index on the value of an expression. */
export interface ExpIndexOptions extends Omit<IndexOptions, 'bin' | 'exp'> {
  /** The expression whose value is indexed (records where it has no value are skipped), or its base64 form. */
  exp: AerospikeExp | string
}

const DATATYPE_NAMES = ['STRING', 'NUMERIC', 'GEO2DSPHERE', 'BLOB', 'NUMERIC']
const INDEXTYPE_NAMES = ['DEFAULT', 'LIST', 'MAPKEYS', 'MAPVALUES']

/** Info values may not contain the command separators. */
function infoName(v: unknown, what: string, allowEmpty = false): string {
  if (typeof v !== 'string' || (!allowEmpty && v.length === 0)) throw new TypeError(`${what} must be a non-empty string`)
  if (/[;:=\n\t]/.test(v)) throw new TypeError(`${what} must not contain ; : = or line breaks`)
  return v
}

/** Raises the `ERROR:<code>:<message>` answer of an info command. */
function check(answer: string): void {
  const line = answer.split('\n')[0] ?? ''
  const value = line.includes('\t') ? line.slice(line.indexOf('\t') + 1) : line
  const m = /^(?:ERROR|FAIL):(-?\d+)(?::(.*))?/i.exec(value)
  if (m) throw new AerospikeError(m[2] || status.getMessage(Number(m[1])), Number(m[1]))
}

/** `load_pct` of one node's `sindex/<ns>/<name>` answer (0 when the node has no such index). */
function loadPct(answer: string): number {
  const m = /load_pct=(\d+)/.exec(answer)
  if (m) return Number(m[1])
  // A server without load_pct reports a ready index with other statistics.
  if (/FAIL|ERROR/i.test(answer) || !/=/.test(answer)) return 0
  return 100
}

/** A secondary index being built: `wait()` resolves once every node has built it. */
export class IndexJob extends Job<Array<{ load_pct: number }>> {
  readonly namespace: string
  readonly indexName: string

  constructor(client: Client, namespace: string, indexName: string) {
    super(client, 0, 'sindex')
    this.namespace = namespace
    this.indexName = indexName
  }

  /** @deprecated Use {@link namespace}. */
  get ns(): string {
    return this.namespace
  }

  /** @deprecated Use {@link indexName}. */
  get index(): string {
    return this.indexName
  }

  /** Whether every node reports the index fully built. */
  override hasCompleted(info: Array<{ load_pct: number }>): boolean {
    return info.length > 0 && info.every((i) => i.load_pct === 100)
  }

  /** The index's build progress on every node. */
  override info(_policy?: unknown, callback?: Callback<Array<{ load_pct: number }>>): Promise<Array<{ load_pct: number }>> {
    if (typeof _policy === 'function') callback = _policy as never
    const p = this.client
      .infoAll(`sindex/${this.namespace}/${this.indexName}`)
      .then((answers) => answers.map((a) => ({ load_pct: loadPct(a.info) })))
      .catch((e: unknown) => {
        if (e instanceof AerospikeError && e.code === status.ERR_INDEX_NOT_FOUND) return [{ load_pct: 0 }]
        throw e
      })
    return settle(p, callback)
  }

  /** Whether the index is fully built. */
  isDone(): Promise<boolean> {
    return this.checkStatus()
  }
}

/** Creates a secondary index (on a bin, or with `exp` on an expression); resolves with its job. */
export async function createIndex(client: Client, options: IndexOptions | ExpIndexOptions, policy?: { timeout?: number } | null): Promise<IndexJob> {
  if (options === null || typeof options !== 'object') throw new TypeError('index options must be an object')
  const ns = infoName(options.ns, 'ns')
  const set = options.set === undefined || options.set === null ? null : infoName(options.set, 'set')
  const index = infoName(options.index, 'index')
  const it = options.type ?? indexType.DEFAULT
  if (!Number.isInteger(it) || !INDEXTYPE_NAMES[it]) throw new TypeError('type must be an indexType')
  if (!Number.isInteger(options.datatype) || !DATATYPE_NAMES[options.datatype]) throw new TypeError('datatype must be an indexDataType')
  const ctx = options.context === undefined || options.context === null ? '' : `;context=${packContext(options.context, 'context').toString('base64')}`
  const it_ = it !== indexType.DEFAULT ? `;indextype=${INDEXTYPE_NAMES[it]}` : ''
  const type = DATATYPE_NAMES[options.datatype]
  let cmd: string
  if ('exp' in options && options.exp !== undefined) {
    const e = packedExpression(options.exp, 'exp').toString('base64')
    cmd = `sindex-create:namespace=${ns}${set ? `;set=${set}` : ''};indexname=${index}${ctx}${it_};exp=${e};type=${type}`
  } else {
    const bin = infoName((options as IndexOptions).bin, 'bin')
    cmd = `sindex-create:ns=${ns}${set ? `;set=${set}` : ''};indexname=${index}${ctx}${it_};indexdata=${bin},${type}`
  }
  check(await client.infoAny(cmd, policy ?? null))
  return new IndexJob(client, ns, index)
}

/** Removes a secondary index. */
export async function indexRemove(client: Client, ns: string, index: string, policy?: { timeout?: number } | null): Promise<void> {
  check(await client.infoAny(`sindex-delete:ns=${infoName(ns, 'ns')};indexname=${infoName(index, 'index')}`, policy ?? null))
}
