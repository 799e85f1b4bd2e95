// The event-loop path (crates/napi/src/uvloop): single-record commands settled on the
// JavaScript thread's own loop. The rest of the suite runs with it on (the default); these tests
// prove it is really taken, that under load no reply reaches the wrong command (on that path,
// on the Tokio path, and with the two mixed), that timeouts and retries on it behave as on the
// Tokio path, and that a process using it exits on its own. Run with AEROSPIKE_NAPI_PATH=tokio,
// the tests in this process check that the Tokio path behaves the same (parity), and the child
// processes still take the path each test names.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loopSettled } from '../dist/dispatch'
import { native } from '../dist/native'
import { aerospike, hosts, NS, uniqueSet } from './helpers'

type Report = { settled: number; bad: unknown[]; nBad: number }

/** Whether this process takes the event-loop path (commands settled on it are counted). */
const ON_LOOP = process.env.AEROSPIKE_NAPI_PATH !== 'tokio'
/** Commands this process should have settled on the loop when `n` ran there. */
const onLoop = (n: number) => (ON_LOOP ? n : 0)
/** The environment of a child process that takes the event-loop path. */
const LOOP = { AEROSPIKE_NAPI_PATH: 'loop' }

function run(env: Record<string, string>, n: number, mode = 'close'): Report {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'scripts', 'loop-path.cjs'), hosts, String(n), mode], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  })
  expect(r.status, r.stderr).toBe(0)
  return JSON.parse(r.stdout.trim()) as Report
}

describe('replies reach their own command', () => {
  it('with 64 connections per node on the event-loop path and the rest of each burst on Tokio', () => {
    // Seven bursts of 2,000 commands (64 of each on the loop once its connections are open)
    // and 300 sequential ones.
    const r = run({ ...LOOP, AEROSPIKE_NAPI_LOOP_CONNS: '64' }, 2000)
    expect(r.bad).toEqual([])
    expect(r.settled).toBeGreaterThan(600)
  })

  it('with both paths at once (the default: up to 256 connections on the loop, the rest of a burst on Tokio)', () => {
    const r = run(LOOP, 3000)
    expect(r.bad).toEqual([])
    expect(r.settled).toBeGreaterThan(300)
  })

  it('on the Tokio path alone (AEROSPIKE_NAPI_PATH=tokio)', () => {
    const r = run({ AEROSPIKE_NAPI_PATH: 'tokio' }, 2000)
    expect(r.bad).toEqual([])
    expect(r.settled).toBe(0)
  })

  it('with the awake wait on (AEROSPIKE_NAPI_SPIN_US), and the process still exits on its own', () => {
    const r = run({ ...LOOP, AEROSPIKE_NAPI_SPIN_US: '200' }, 500, 'open')
    expect(r.bad).toEqual([])
    expect(r.settled).toBeGreaterThan(300)
  })

  it('a process that leaves its client open still exits on its own', () => {
    const r = run(LOOP, 50, 'open')
    expect(r.bad).toEqual([])
    expect(r.settled).toBeGreaterThan(0)
  })
})

describe('in this process (the path is on)', () => {
  let client: aerospike.Client
  let server: aerospike.EmbeddedServer
  const set = uniqueSet('loop')
  const key = new aerospike.Key(NS, set, 'k')

  beforeAll(async () => {
    // Its own server: fault injection must not reach the other test files' commands.
    server = await aerospike.startServer()
    client = await aerospike.connect({ hosts: server.address })
    await client.put(key, { v: 1 })
    // The first commands take the Tokio path while this path's connections open (on Tokio);
    // then it is used.
    for (let i = 0, run = 0; i < 500 && run < 10; i++) {
      const before = loopSettled()
      await client.get(key)
      run = loopSettled() > before ? run + 1 : 0
    }
  })
  afterAll(async () => {
    await client.close()
    await server.stop()
  })

  it('settles sequential commands here, each with its own answer', async () => {
    const before = loopSettled()
    for (let i = 0; i < 50; i++) {
      await client.put(key, { v: i, s: String(i) })
      expect((await client.get(key)).bins).toEqual({ v: i, s: String(i) })
    }
    expect(loopSettled() - before).toBe(onLoop(100))
  })

  it('settles a record larger than the socket takes at once, written in parts and read back whole', async () => {
    const big = { s: `${'y'.repeat(600_000)}end`, b: Buffer.alloc(200_000, 7) }
    const bigKey = new aerospike.Key(NS, set, 'big')
    const before = loopSettled()
    await client.put(bigKey, big)
    expect((await client.get(bigKey)).bins).toEqual(big)
    expect(loopSettled() - before).toBe(onLoop(2))
  })

  it('the raw entry point refuses what is not a client, a dispatcher, a buffer and its end, and nothing breaks', async () => {
    const { submitFast } = native.rawEntryPoints() as unknown as { submitFast: (...a: unknown[]) => void }
    const buf = Buffer.alloc(16)
    for (const args of [[], [1, 2, 3, 4], [{}, {}, buf, 0], [null, undefined, buf, 16], ['c', 'd', 'not a buffer', 1], [{}, {}, buf, 99]]) {
      expect(() => submitFast(...args)).toThrow(Error)
    }
    await client.put(key, { v: 7 })
    expect((await client.get(key)).bins.v).toBe(7)
  })

  it('a timed-out attempt is retried maxRetries times, then ends in ERR_TIMEOUT', async () => {
    server.faults.inject({ type: 'hang' })
    try {
      for (const retries of [0, 2]) {
        const before = server.faults.commands()
        const settled = loopSettled()
        const t0 = performance.now()
        const err = await client.get(key, { socketTimeout: 60, totalTimeout: 5000, maxRetries: retries }).catch((e) => e)
        expect(err.code).toBe(aerospike.status.ERR_TIMEOUT)
        expect(err.inDoubt).toBe(false)
        expect(server.faults.commands() - before).toBe(retries + 1)
        expect(performance.now() - t0).toBeGreaterThanOrEqual(60 * (retries + 1) - 5)
        // Without retries the attempt on this path is the whole command.
        if (retries === 0) expect(loopSettled() - settled).toBe(onLoop(1))
      }
      const w = await client.put(key, { v: 2 }, {}, { totalTimeout: 80, maxRetries: 0 }).catch((e) => e)
      expect(w.code).toBe(aerospike.status.ERR_TIMEOUT)
      expect(w.inDoubt).toBe(true)
    } finally {
      server.faults.clear()
    }
    for (let i = 0; i < 3; i++) expect((await client.get(key)).bins.v).toBeTypeOf('number')
  })

  it('a connection closed mid-reply is retried on a new one', async () => {
    server.faults.inject({ type: 'close-mid-response', count: 1 })
    const before = server.faults.commands()
    expect((await client.get(key, { maxRetries: 2 })).bins.v).toBeTypeOf('number')
    expect(server.faults.commands() - before).toBe(2)
    server.faults.inject({ type: 'close-mid-response', count: 1 })
    const err = await client.get(key, { maxRetries: 0 }).catch((e) => e)
    expect(err).toBeInstanceOf(aerospike.AerospikeError)
    expect((await client.get(key)).bins.v).toBeTypeOf('number')
  })

  it('garbage is an error, and the next command works', async () => {
    for (let i = 0; i < 3; i++) await client.get(key)
    server.faults.inject({ type: 'garbage', count: 1 })
    const settled = loopSettled()
    const err = await client.get(key, { maxRetries: 0 }).catch((e) => e)
    expect(err).toBeInstanceOf(aerospike.AerospikeError)
    expect(loopSettled() - settled).toBe(onLoop(1))
    expect((await client.get(key)).bins.v).toBeTypeOf('number')
  })

  /** Until the next command takes this path (a failed command's connection reopens on Tokio). */
  async function loopReady(): Promise<void> {
    for (let i = 0; ON_LOOP && i < 500; i++) {
      const settled = loopSettled()
      await client.get(key)
      if (loopSettled() > settled) return
    }
  }

  it('the server answers the crate retries (KEY_BUSY, TIMEOUT) are retried; a write the server timed out is in doubt', async () => {
    await loopReady()
    server.faults.inject({ type: 'code', code: aerospike.status.ERR_RECORD_BUSY, count: 1 })
    let before = server.faults.commands()
    expect((await client.get(key, { maxRetries: 2 })).bins.v).toBeTypeOf('number')
    expect(server.faults.commands() - before).toBe(2)
    await loopReady()
    server.faults.inject({ type: 'code', code: aerospike.status.ERR_RECORD_BUSY, count: 1 })
    const busy = await client.get(key, { maxRetries: 0 }).catch((e) => e)
    // With no retry left this path reports the server's answer; the crate reports a timeout
    // "after 1 tries" (its cause is the server's answer).
    expect(busy.code).toBe(ON_LOOP ? aerospike.status.ERR_RECORD_BUSY : aerospike.status.ERR_TIMEOUT)
    expect(busy.inDoubt).toBe(false)
    await loopReady()
    server.faults.inject({ type: 'code', code: aerospike.status.ERR_TIMEOUT, count: 1 })
    before = server.faults.commands()
    const w = await client.put(key, { v: 3 }, {}, { maxRetries: 0 }).catch((e) => e)
    expect(w.code).toBe(aerospike.status.ERR_TIMEOUT)
    expect(w.inDoubt).toBe(true)
    expect(server.faults.commands() - before).toBe(1)
    server.faults.inject({ type: 'code', code: aerospike.status.ERR_TIMEOUT, count: 1 })
    await client.put(key, { v: 3 }, {}, { maxRetries: 1 })
    expect((await client.get(key)).bins.v).toBe(3)
  })

  it('timeouts on this path count towards the circuit breaker, and a tripped node is refused', async () => {
    const cb = await aerospike.connect({ hosts: server.address, maxErrorRate: 5, errorRateWindow: 1, tenderInterval: 10000 } as never)
    try {
      // Enough connections on this path for a burst of eight.
      for (let i = 0; i < 200; i++) {
        const settled = loopSettled()
        await Promise.all(Array.from({ length: 8 }, () => cb.get(key)))
        if (loopSettled() - settled === 8) break
      }
      server.faults.inject({ type: 'hang' })
      const settled = loopSettled()
      const errs = await Promise.all(Array.from({ length: 8 }, () => cb.get(key, { socketTimeout: 30, totalTimeout: 30, maxRetries: 0 }).catch((e) => e)))
      server.faults.clear()
      for (const e of errs) expect(e.code).toBe(aerospike.status.ERR_TIMEOUT)
      expect(loopSettled() - settled).toBe(onLoop(8))
      const refused = await cb.get(key).catch((e) => e)
      expect(refused.code).toBe(aerospike.status.MAX_ERROR_RATE)
    } finally {
      server.faults.clear()
      await cb.close()
    }
  })

  it('server errors carry the official code and message', async () => {
    const missing = new aerospike.Key(NS, set, 'missing')
    const err = await client.get(missing).catch((e) => e)
    expect(err.code).toBe(aerospike.status.ERR_RECORD_NOT_FOUND)
    expect(err.message).toMatch(/Record does not exist/)
    expect(await client.exists(missing)).toBe(false)
    const gen = await client.put(key, { v: 1 }, { gen: 999 }, { gen: aerospike.policy.gen.EQ }).catch((e) => e)
    expect(gen.code).toBe(aerospike.status.ERR_RECORD_GENERATION)
  })
})
