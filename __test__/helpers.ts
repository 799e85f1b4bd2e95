import { afterAll, beforeAll, expect, inject } from 'vitest'
import * as aerospike from '../index'

export { aerospike }
export const hosts = inject('hosts')
export const embedded = inject('embedded')
export const NS = 'test'

let counter = 0
/** A set name no other test uses. */
export function uniqueSet(prefix = 't'): string {
  counter++
  return `${prefix}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 7)}`
}

/**
 * Whether the test server lacks the Enterprise features (a real Community Edition server:
 * security, durable deletes and XDR are refused there). The embedded server has them, although
 * it names itself Community Edition as the servers it stands in for do.
 */
export async function communityServer(): Promise<boolean> {
  if (embedded) return false
  const c = await connectClient()
  try {
    return /Community/i.test(String(await c.infoAny('edition')))
  } finally {
    await c.close()
  }
}

/**
 * Whether the test server has what came with server 8.1 (expression indexes, queries that name
 * their index): servers from 8.1 on, and the embedded server.
 */
export async function serverFrom81(): Promise<boolean> {
  if (embedded) return true
  const c = await connectClient()
  try {
    const build = String(await c.infoAny('build')).split('\t').pop() ?? ''
    const [major = 0, minor = 0] = build.trim().split('.').map(Number)
    return major > 8 || (major === 8 && minor >= 1)
  } finally {
    await c.close()
  }
}

/** A connected client against the test server. */
export async function connectClient(config: aerospike.ConfigOptions = {}): Promise<aerospike.Client> {
  return (await aerospike.connect({ hosts, ...config })) as aerospike.Client
}

/**
 * A client connected before the tests of the enclosing block (handed to `use`) and closed after
 * them.
 */
export function connectedClient(use: (client: aerospike.Client) => void, config: aerospike.ConfigOptions = {}): void {
  let client: aerospike.Client | null = null
  beforeAll(async () => {
    client = await connectClient(config)
    use(client)
  })
  afterAll(async () => {
    await client?.close()
  })
}

/** Expects `p` to reject with an AerospikeError of the given code. */
// biome-ignore lint/suspicious/noConfusingVoidType: `p` may be a call typed `void` (one that throws synchronously)
export async function expectCode(p: Promise<unknown> | void, code: number): Promise<aerospike.AerospikeError> {
  try {
    await p
  } catch (e) {
    if (!(e instanceof aerospike.AerospikeError)) throw new Error(`expected AerospikeError ${code}, got ${String(e)}`)
    if (e.code !== code) throw new Error(`expected code ${code}, got ${e.code}: ${e.message}`)
    return e
  }
  throw new Error(`expected rejection with code ${code}, but it resolved`)
}

/** Whether a filter lets `get` through (true) or filters the record out (false, code 27). */
export async function filterPasses(client: aerospike.Client, k: aerospike.Key, filterExpression: aerospike.AerospikeExp): Promise<boolean> {
  try {
    await client.get(k, { filterExpression })
    return true
  } catch (e) {
    if (e instanceof aerospike.AerospikeError && e.code === aerospike.status.FILTERED_OUT) return false
    throw e
  }
}

/**
 * Per-file fixture for record-level tests: a client connected before the file's tests and closed
 * after them, a set of its own, and helpers for fresh records.
 */
export function recordFixture(prefix: string) {
  let client: aerospike.Client | null = null
  let n = 0
  const set = uniqueSet(prefix)
  connectedClient((c) => {
    client = c
  })
  const c = (): aerospike.Client => {
    if (!client) throw new Error('fixture client used outside a test')
    return client
  }
  return {
    set,
    get client(): aerospike.Client {
      return c()
    },
    /** A fresh record holding `bins` (written with `meta` and `policy` when given). */
    async record(bins: aerospike.Bins, meta?: aerospike.RecordMetadata, policy?: aerospike.WritePolicy): Promise<aerospike.Key> {
      const k = new aerospike.Key(NS, set, `k${n++}`)
      await c().put(k, bins, meta, policy)
      return k
    },
    /** The bins `operate()` reports. */
    async operate(k: aerospike.Key, ops: aerospike.Operation[]): Promise<aerospike.Bins> {
      return (await c().operate(k, ops)).bins
    },
    /**
     * What each op answers for `bin` when run alone, in order, one `operate` per op (one call with
     * several ops on a bin keeps only the last op's result, as the official client does). The
     * record ends as after one call with all ops, but not atomically. An op that answers no bin
     * when alone (e.g. `lists.set`, `lists.clear`) gives `undefined`, kept as is (not made
     * `null`, which the same op answers in a call with other ops that report).
     */
    async opsEach(k: aerospike.Key, bin: string, ops: aerospike.Operation[]): Promise<unknown[]> {
      const out: unknown[] = []
      for (const o of ops) out.push((await c().operate(k, [o])).bins[bin])
      return out
    },
    /** The record's bins now. */
    async bins(k: aerospike.Key): Promise<aerospike.Bins> {
      return (await c().get(k)).bins
    },
  }
}

/**
 * Expects two reads of the same records to have answered alike, row by row; their TTLs may
 * differ by the second that passed between the reads.
 */
export function expectSameRows<R extends { ttl: unknown }>(on: R[], off: R[]): void {
  expect(on.length).toBe(off.length)
  for (const [i, r] of on.entries()) {
    const o = off[i]!
    if (typeof r.ttl === 'number' && typeof o.ttl === 'number') {
      expect(Math.abs(r.ttl - o.ttl)).toBeLessThanOrEqual(1)
      o.ttl = r.ttl
    }
  }
  expect(on).toEqual(off)
}
