/**
 * The official client's policy constants and the base of the command policy classes.
 * @module
 */
import type { AerospikeExp } from '../exp/core'

/** Read consistency of AP namespaces: `ONE` replica or `ALL` replicas. */
export const readModeAP = Object.freeze({ ONE: 0, ALL: 1 })
/** The values of `readModeAP`, as a type (the official client declares `readModeAP` as an enum). */
export type readModeAP = (typeof readModeAP)[keyof typeof readModeAP]
/** Read consistency of strong-consistency namespaces. */
export const readModeSC = Object.freeze({ SESSION: 0, LINEARIZE: 1, ALLOW_REPLICA: 2, ALLOW_UNAVAILABLE: 3 })
/** The values of `readModeSC`, as a type (the official client declares `readModeSC` as an enum). */
export type readModeSC = (typeof readModeSC)[keyof typeof readModeSC]
/** When a write is acknowledged: after `ALL` replicas applied it, or after the `MASTER`. */
export const commitLevel = Object.freeze({ ALL: 0, MASTER: 1 })
/** The values of `commitLevel`, as a type (the official client declares `commitLevel` as an enum). */
export type commitLevel = (typeof commitLevel)[keyof typeof commitLevel]
/** Expected duration of a query (a hint for the server). */
export const queryDuration = Object.freeze({ LONG: 0, SHORT: 1, LONG_RELAX_AP: 2 })
/** The values of `queryDuration`, as a type (the official client declares `queryDuration` as an enum). */
export type queryDuration = (typeof queryDuration)[keyof typeof queryDuration]

/**
 * Copies the named fields that `props` defines onto `target`. Fields left undefined are not
 * created, so spreading an instance over default policies keeps the defaults.
 * @internal
 */
export function copyFields(target: object, props: unknown, names: readonly string[]): void {
  if (props === null || typeof props !== 'object') return
  const src = props as Record<string, unknown>
  const dst = target as Record<string, unknown>
  for (const name of names) {
    const v = src[name]
    if (v !== undefined) dst[name] = v
  }
}

/** Fields of every command policy (constructor argument of {@link BasePolicy}). */
export interface BasePolicyOptions {
  /** Time for one attempt's socket idle, in ms (0 = no limit). */
  socketTimeout?: number
  /** Total time for the command including retries, in ms (0 = no limit). */
  totalTimeout?: number
  /** Retries after the first attempt. */
  maxRetries?: number
  /**
   * Filter expression (`exp` module, or its base64 form): the command applies only to a record
   * for which it is true; otherwise it fails with `status.FILTERED_OUT` (27).
   */
  filterExpression?: AerospikeExp | string | null
  /** Compress the request and response (accepted; this client sends uncompressed). */
  compress?: boolean
  /** Multi-record transaction the command belongs to. */
  txn?: unknown
  /** Time to open a connection, ms (accepted for compatibility). */
  connectTimeout?: number
  /** Delay after a socket timeout before the connection is closed, ms (accepted for compatibility). */
  timeoutDelay?: number
}

const BASE_FIELDS = ['socketTimeout', 'totalTimeout', 'maxRetries', 'filterExpression', 'compress', 'txn', 'connectTimeout', 'timeoutDelay'] as const

/** Fields every command policy has. */
export class BasePolicy {
  declare socketTimeout?: number
  declare totalTimeout?: number
  declare maxRetries?: number
  declare filterExpression?: AerospikeExp | string | null
  declare compress?: boolean
  declare txn?: unknown
  declare connectTimeout?: number
  declare timeoutDelay?: number
  /** Replica to read from (`policy.replica`); set by the policies that have it. */
  declare replica?: number

  constructor(props?: BasePolicyOptions | null) {
    copyFields(this, props, BASE_FIELDS)
  }
}
