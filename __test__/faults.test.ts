// Reliability under injected faults: a server of our own (so faults touch no other test) that
// hangs, delays, drops connections, answers garbage or forced codes, and goes away and comes back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, NS, uniqueSet } from './helpers'

let server: aerospike.EmbeddedServer
let client: aerospike.Client
const set = uniqueSet('faults')
const key = new aerospike.Key(NS, set, 'k')

async function failure(p: Promise<unknown>): Promise<aerospike.AerospikeError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(aerospike.AerospikeError)
    return e as aerospike.AerospikeError
  }
  throw new Error('expected the command to fail')
}

beforeAll(async () => {
  server = await aerospike.startServer()
  client = await aerospike.connect({ hosts: server.address })
  await client.put(key, { v: 1 })
})
afterEach(() => server.faults.clear())
afterAll(async () => {
  await client.close()
  await server.stop()
})

describe('timeouts and retries', () => {
  it('totalTimeout bounds a call against a hung server', async () => {
    server.faults.inject({ type: 'hang' })
    for (const total of [100, 250]) {
      const t0 = performance.now()
      const err = await failure(client.get(key, { totalTimeout: total, socketTimeout: 0, maxRetries: 3 }))
      const took = performance.now() - t0
      expect(err.code).toBe(aerospike.status.ERR_TIMEOUT)
      expect(took).toBeGreaterThanOrEqual(total - 5)
      expect(took).toBeLessThan(total + 50)
    }
  })

  it('columnar batch reads obey totalTimeout and retry on a new connection', async () => {
    const keys = [key, new aerospike.Key(NS, set, 'missing')]
    server.faults.inject({ type: 'hang' })
    const t0 = performance.now()
    const err = await failure(client.batchReadColumns(keys, { v: 'i64' }, { totalTimeout: 150, maxRetries: 0 }))
    expect(err.code).toBe(aerospike.status.ERR_TIMEOUT)
    expect(performance.now() - t0).toBeLessThan(150 + 100)
    server.faults.clear()
    // A connection that closes mid-reply is replaced and the read sent again.
    server.faults.inject({ type: 'close-mid-response', count: 1 })
    const before = server.faults.commands()
    const cols = await client.batchReadColumns(keys, { v: 'i64' }, { maxRetries: 2, totalTimeout: 2000 })
    expect(Array.from(cols.status)).toEqual([0, 2])
    expect(cols.columns.v[0]).toBe(1n)
    expect(server.faults.commands() - before).toBe(2)
  })

  it('socketTimeout ends each attempt and maxRetries sets how many more the server sees', async () => {
    server.faults.inject({ type: 'hang' })
    for (const retries of [0, 2]) {
      const before = server.faults.commands()
      const t0 = performance.now()
      const err = await failure(client.get(key, { socketTimeout: 80, totalTimeout: 5000, maxRetries: retries }))
      expect(err.code).toBe(aerospike.status.ERR_TIMEOUT)
      expect(server.faults.commands() - before).toBe(retries + 1)
      expect(performance.now() - t0).toBeGreaterThanOrEqual(80 * (retries + 1) - 5)
    }
  })

  it('a write that timed out after being sent is in doubt; a read is not', async () => {
    server.faults.inject({ type: 'hang' })
    const w = await failure(client.put(key, { v: 2 }, {}, { totalTimeout: 100, maxRetries: 0 }))
    expect(w.code).toBe(aerospike.status.ERR_TIMEOUT)
    expect(w.inDoubt).toBe(true)
    const r = await failure(client.get(key, { totalTimeout: 100, maxRetries: 0 }))
    expect(r.inDoubt).toBe(false)
  })

  it('a delay shorter than the timeout is just latency', async () => {
    server.faults.inject({ type: 'delay', ms: 60, count: 1 })
    const t0 = performance.now()
    expect((await client.get(key, { totalTimeout: 1000 })).bins).toEqual({ v: 1 })
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55)
  })
})

describe('broken answers', () => {
  it('garbage from the server is an error, not a crash, and the next command works', async () => {
    server.faults.inject({ type: 'garbage', count: 1 })
    const err = await failure(client.get(key, { maxRetries: 0 }))
    expect(err.code).not.toBe(aerospike.status.OK)
    expect((await client.get(key)).bins).toEqual({ v: 1 })
  })

  it('a connection closed mid-answer is an error and the client recovers', async () => {
    server.faults.inject({ type: 'close-mid-response', count: 1 })
    await failure(client.get(key, { maxRetries: 0, totalTimeout: 1000 }))
    expect((await client.get(key)).bins).toEqual({ v: 1 })
  })

  it('a retry after a dropped connection succeeds on its own', async () => {
    server.faults.inject({ type: 'close', count: 1 })
    const before = server.faults.commands()
    expect((await client.get(key, { maxRetries: 2 })).bins).toEqual({ v: 1 })
    expect(server.faults.commands() - before).toBe(2)
  })

  it('a forced result code surfaces as that code', async () => {
    server.faults.inject({ type: 'code', code: aerospike.status.ERR_RECORD_TOO_BIG, count: 1 })
    const err = await failure(client.put(key, { v: 1 }, {}, { maxRetries: 0 }))
    expect(err.code).toBe(aerospike.status.ERR_RECORD_TOO_BIG)
    expect(err.isServerError()).toBe(true)
  })
})

describe('server restart', () => {
  it('in-flight commands fail, later ones succeed with no action by the caller', async () => {
    server.faults.inject({ type: 'delay', ms: 300, count: 1 })
    const inflight = client.get(key, { totalTimeout: 2000, maxRetries: 0 })
    await new Promise((r) => setTimeout(r, 50))
    server.faults.stopListener()
    const err = await failure(inflight)
    expect([aerospike.status.ERR_TIMEOUT, aerospike.status.ERR_CONNECTION, aerospike.status.ERR_CLIENT]).toContain(err.code)
    server.faults.startListener()
    let rec: aerospike.AerospikeRecord | undefined
    for (let i = 0; i < 50 && !rec; i++) {
      rec = await client.get(key, { totalTimeout: 500 }).catch(() => undefined)
      if (!rec) await new Promise((r) => setTimeout(r, 50))
    }
    expect(rec?.bins).toEqual({ v: 1 })
  })
})

describe('connection pool', () => {
  it('exhausting maxConnsPerNode gives ERR_NO_MORE_CONNECTIONS at totalTimeout, not a hang', async () => {
    const small = await aerospike.connect({ hosts: server.address, maxConnsPerNode: 2, minConnsPerNode: 2 })
    try {
      // Both connections open and pooled before the test starts.
      await Promise.all([small.get(key), small.get(key)])
      // Two slow commands hold both connections; eight more wait for one, with a shorter deadline.
      server.faults.inject({ type: 'delay', ms: 800, count: 2 })
      const slow = [small.get(key, { totalTimeout: 5000, maxRetries: 0 }), small.get(key, { totalTimeout: 5000, maxRetries: 0 })]
      await new Promise((r) => setTimeout(r, 50))
      const t0 = performance.now()
      const waiting = await Promise.allSettled(Array.from({ length: 8 }, () => small.get(key, { totalTimeout: 300, maxRetries: 0 })))
      const took = performance.now() - t0
      for (const r of waiting) {
        expect(r.status).toBe('rejected')
        const err = (r as PromiseRejectedResult).reason as aerospike.AerospikeError
        expect(err.code).toBe(aerospike.status.ERR_NO_MORE_CONNECTIONS)
        expect(err.inDoubt).toBe(false)
      }
      expect(took).toBeLessThan(300 + 150)
      // The slow ones complete normally.
      for (const rec of await Promise.all(slow)) expect(rec.bins).toEqual({ v: 1 })
      // And the pool serves again.
      expect((await small.get(key)).bins).toEqual({ v: 1 })
    } finally {
      await small.close()
    }
  })
})
