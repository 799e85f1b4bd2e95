// The event-loop path (crates/napi/src/uvloop): single-record commands settled on the
// JavaScript thread's own loop. The rest of the suite runs with it on (the default); these tests
// prove it is really taken, that under load no reply reaches the wrong command (on that path,
// on the Tokio path, and with the two mixed), that timeouts and retries on it behave as on the
// Tokio path, and that a process using it exits on its own.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loopSettled } from '../dist/dispatch'
import { aerospike, hosts, NS, uniqueSet } from './helpers'

type Report = { settled: number; bad: unknown[]; nBad: number }

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
    const r = run({ AEROSPIKE_NAPI_LOOP_CONNS: '64' }, 2000)
    expect(r.bad).toEqual([])
    expect(r.settled).toBeGreaterThan(600)
  })

  it('with both paths at once (the default: up to 256 connections on the loop, the rest of a burst on Tokio)', () => {
    const r = run({}, 3000)
    expect(r.bad).toEqual([])
    expect(r.settled).toBeGreaterThan(300)
  })

  it('on the Tokio path alone (AEROSPIKE_NAPI_PATH=tokio)', () => {
    const r = run({ AEROSPIKE_NAPI_PATH: 'tokio' }, 2000)
    expect(r.bad).toEqual([])
    expect(r.settled).toBe(0)
  })

  it('a process that leaves its client open still exits on its own', () => {
    const r = run({}, 50, 'open')
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
    expect(loopSettled() - before).toBe(100)
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
        if (retries === 0) expect(loopSettled() - settled).toBe(1)
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
    expect(loopSettled() - settled).toBe(1)
    expect((await client.get(key)).bins.v).toBeTypeOf('number')
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
