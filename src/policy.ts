/**
 * Policy constants and types, with the official client's names and numbers, and their
 * encoding into requests.
 * @module
 */
import type { Writer } from './codec'
import { writeFilterExpression } from './exp/policy'
import { AerospikeError } from './errors'
import { status } from './status'

export { ListPolicy } from './lists'
export { MapPolicy } from './maps'
export { BitwisePolicy } from './bitwise'
export { HLLPolicy } from './hll'
export { MetricsPolicy, type MetricsPolicyOptions } from './metrics_policy'

/** TTL special values for `meta.ttl` / `policy.ttl`. */
export const ttl = Object.freeze({
  /** Use the namespace's default TTL. */
  NAMESPACE_DEFAULT: 0,
  /** Never expire. */
  NEVER_EXPIRE: -1,
  /** Keep the record's current TTL (a new record gets the namespace default). */
  DONT_UPDATE: -2,
  /** Use the client's default (the write policy's `ttl`, else the namespace default). */
  CLIENT_DEFAULT: -3,
})
/** The values of `ttl`, as a type (the official client declares `ttl` as an enum). */
export type ttl = (typeof ttl)[keyof typeof ttl]

/** Record-exists actions for writes. */
export const exists = Object.freeze({ IGNORE: 0, CREATE: 1, UPDATE: 2, REPLACE: 3, CREATE_OR_REPLACE: 4 })
/** The values of `exists`, as a type (the official client declares `exists` as an enum). */
export type exists = (typeof exists)[keyof typeof exists]
/** Generation checks for writes. */
export const gen = Object.freeze({ IGNORE: 0, EQ: 1, GT: 2 })
/** The values of `gen`, as a type (the official client declares `gen` as an enum). */
export type gen = (typeof gen)[keyof typeof gen]
/** Whether the user key is sent and stored with the record. */
export const key = Object.freeze({ DIGEST: 0, SEND: 1 })
/** The values of `key`, as a type (the official client declares `key` as an enum). */
export type key = (typeof key)[keyof typeof key]
/** Which replica reads go to. */
export const replica = Object.freeze({ MASTER: 0, ANY: 1, SEQUENCE: 2, PREFER_RACK: 3, RANDOM: 4 })
/** The values of `replica`, as a type (the official client declares `replica` as an enum). */
export type replica = (typeof replica)[keyof typeof replica]

export * from './policies'

/** Record metadata passed to writes. */
export interface RecordMetadata {
  /** Seconds to live, or a `ttl.*` constant. */
  ttl?: number
  /** Expected generation, used with `policy.gen`. */
  gen?: number
}

const UNSET = 255

function nonNegativeInt(v: unknown, name: string, max = 0x7fffffff): number {
  if (v === undefined || v === null) return -1
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new TypeError(`${name} must be an integer from 0 to ${max}, got ${String(v)}`)
  }
  return v
}

function choice(v: unknown, name: string, values: Record<string, number>): number {
  if (v === undefined || v === null) return UNSET
  if (typeof v !== 'number' || !Object.values(values).includes(v)) {
    throw new TypeError(`${name} must be one of ${Object.entries(values).map(([k, n]) => `${k} (${n})`).join(', ')}, got ${String(v)}`)
  }
  return v
}

function flag(v: unknown, name: string): number {
  if (v === undefined || v === null) return UNSET
  if (typeof v !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${String(v)}`)
  return v ? 1 : 0
}

function checkPolicy(p: unknown, name: string): Record<string, unknown> {
  if (p === undefined || p === null) return {}
  if (typeof p !== 'object' || Array.isArray(p)) throw new TypeError(`${name} must be an object`)
  return p as Record<string, unknown>
}

/** Appends the base policy section. */
export function writeBase(w: Writer, policy: unknown, name = 'policy'): void {
  const p = checkPolicy(policy, name)
  // Accepted and not used by this client; a value of the wrong type fails as in the official one.
  if (p.connectTimeout !== undefined && p.connectTimeout !== null && typeof p.connectTimeout !== 'number') {
    throw new AerospikeError('Policy object invalid', status.ERR_PARAM)
  }
  w.i32(nonNegativeInt(p.totalTimeout, `${name}.totalTimeout`))
  w.i32(nonNegativeInt(p.socketTimeout, `${name}.socketTimeout`))
  w.i32(nonNegativeInt(p.maxRetries, `${name}.maxRetries`, 1000))
  w.u8(choice(p.replica, `${name}.replica`, replica))
  writeReadTouch(w, p.readTouchTtlPercent, `${name}.readTouchTtlPercent`)
  // `deserialize: false`: list and map bins of the answer come back as their msgpack bytes.
  w.u8(p.deserialize === false ? 0 : 1)
  writeFilterExpression(w, p.filterExpression, name)
}

/** `readTouchTtlPercent`: `u8 0` (not set), or `u8 1, i32` (0 server default, -1 never, 1-100). */
export function writeReadTouch(w: Writer, v: unknown, name: string): void {
  if (v === undefined || v === null) {
    w.u8(0)
    return
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -1 || v > 100) {
    throw new TypeError(`${name} must be an integer from -1 to 100, got ${String(v)}`)
  }
  w.u8(1)
  w.i32(v)
}

/** Appends a batch policy. */
export function writeBatchPolicy(w: Writer, policy: unknown): void {
  writeBase(w, policy)
  const p = checkPolicy(policy, 'policy')
  w.u8(flag(p.respondAllKeys, 'policy.respondAllKeys'))
  w.u8(flag(p.allowInline, 'policy.allowInline'))
  w.u8(flag(p.concurrent, 'policy.concurrent'))
}

function checkTtl(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -3 || v > 0xffffffff) {
    throw new TypeError(`${name} must be an integer number of seconds or a ttl constant, got ${String(v)}`)
  }
  return v === ttl.CLIENT_DEFAULT ? undefined : v
}

/** Appends a write policy with the record metadata folded in. */
export function writeWritePolicy(w: Writer, policy: unknown, meta?: unknown): void {
  writeBase(w, policy)
  const p = checkPolicy(policy, 'policy')
  const m = checkPolicy(meta, 'meta')
  w.u8(choice(p.exists, 'policy.exists', exists))
  w.u8(choice(p.gen, 'policy.gen', gen))
  w.u8(choice(p.key, 'policy.key', key))
  w.u8(flag(p.durableDelete, 'policy.durableDelete'))
  const t = checkTtl(m.ttl, 'meta.ttl') ?? checkTtl(p.ttl, 'policy.ttl')
  if (t === undefined) {
    w.u8(0)
  } else {
    w.u8(1)
    w.i64(BigInt(t))
  }
  // The expected generation: the record metadata's `gen`, or a remove policy's `generation`.
  const g = nonNegativeInt(m.gen ?? p.generation, 'meta.gen', 0xffffffff)
  if (g < 0) {
    w.u8(0)
  } else {
    w.u8(1)
    w.u32(g)
  }
}
