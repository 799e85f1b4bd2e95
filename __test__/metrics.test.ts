// Observability: client.stats() and the Prometheus text match the work done, a forced timeout
// shows up as a timeout, per-node connection numbers are live, cluster events fire, and log
// records reach a handler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, NS, uniqueSet } from './helpers'

let server: aerospike.EmbeddedServer
let client: aerospike.Client
const set = uniqueSet('metrics')

beforeAll(async () => {
  server = await aerospike.startServer()
  client = await aerospike.connect({ hosts: server.address, tenderInterval: 250 })
})
afterAll(async () => {
  await client.close()
  await server.stop()
})

const promValue = (text: string, line: string): number => {
  const l = text.split('\n').find((x) => x.startsWith(line + ' '))
  if (!l) throw new Error(`no metric line ${line}`)
  return Number(l.slice(line.length + 1))
}

describe('stats()', () => {
  it('counts every command by kind while load runs, and the Prometheus text agrees', async () => {
    await client.enableMetrics()
    const keys = Array.from({ length: 200 }, (_, i) => new aerospike.Key(NS, set, i))
    // Load in flight while stats are read.
    const load = Promise.all(keys.map((k, i) => client.put(k, { i })))
    const during = client.stats()
    expect(during.commands.inFlight).toBeGreaterThan(0)
    expect(during.byKind.put!.inFlight).toBe(during.commands.inFlight)
    await load
    await Promise.all(keys.slice(0, 150).map((k) => client.get(k)))
    await client.get(new aerospike.Key(NS, set, 'missing')).catch(() => {})
    await client.batchGet(keys.slice(0, 10))

    const s = client.stats()
    expect(s.commands.inFlight).toBe(0)
    expect(s.byKind.put).toMatchObject({ count: 200, errors: 0, inFlight: 0 })
    expect(s.byKind.get).toMatchObject({ count: 151, errors: 1, timeouts: 0 })
    expect(s.byKind.batch!.count).toBe(1)
    expect(s.byKind.put!.buckets.reduce((a, b) => a + b, 0)).toBe(200)
    expect(s.nodes).toHaveLength(1)
    expect(s.nodes[0]!.conns.open).toBeGreaterThan(0)
    expect(s.nodes[0]!.conns.open).toBe(s.nodes[0]!.conns.inUse + s.nodes[0]!.conns.inPool)

    const text = client.prometheusMetrics()
    expect(promValue(text, 'aerospike_napi_commands_total{kind="put",outcome="ok"}')).toBe(200)
    expect(promValue(text, 'aerospike_napi_commands_total{kind="get",outcome="error"}')).toBe(1)
    expect(promValue(text, 'aerospike_napi_command_duration_seconds_count{kind="get"}')).toBe(151)
    expect(promValue(text, 'aerospike_napi_command_duration_seconds_bucket{kind="put",le="+Inf"}')).toBe(200)
    expect(text).toMatch(/^# TYPE aerospike_napi_command_duration_seconds histogram$/m)
  })

  it('a forced timeout shows up as a timeout; a retried command as a retry on the node', async () => {
    const key = new aerospike.Key(NS, set, 'to')
    await client.put(key, { v: 1 })
    const before = client.stats()
    server.faults.inject({ type: 'hang', count: 1 })
    await expect(client.get(key, { totalTimeout: 60, maxRetries: 0 })).rejects.toMatchObject({ code: aerospike.status.ERR_TIMEOUT })
    server.faults.inject({ type: 'close', count: 1 })
    await client.get(key, { maxRetries: 2 })
    const after = client.stats()
    expect(after.byKind.get!.timeouts - before.byKind.get!.timeouts).toBe(1)
    expect(after.byKind.get!.errors - before.byKind.get!.errors).toBe(1)
    expect(after.nodes[0]!.retries - before.nodes[0]!.retries).toBeGreaterThanOrEqual(1)
    const text = client.prometheusMetrics('myapp')
    expect(promValue(text, 'myapp_command_timeouts_total{kind="get"}')).toBe(after.byKind.get!.timeouts)
  })

  it('rejects a bad Prometheus prefix', () => {
    expect(() => client.prometheusMetrics('1 bad')).toThrow(TypeError)
  })
})

describe('events and logging', () => {
  it('log records reach the handler at the chosen level; null turns it off', async () => {
    const got: Array<[number, string, string]> = []
    aerospike.setLogHandler((l, t, m) => got.push([l, t, m]), aerospike.log.DEBUG)
    const c = await aerospike.connect({ hosts: server.address })
    await c.close()
    await new Promise((r) => setTimeout(r, 50))
    expect(got.length).toBeGreaterThan(0)
    expect(got.every(([l]) => l >= 0 && l <= aerospike.log.DEBUG)).toBe(true)
    expect(got.some(([, t]) => t.startsWith('aerospike'))).toBe(true)
    aerospike.setLogHandler(null)
    const n = got.length
    const c2 = await aerospike.connect({ hosts: server.address })
    await c2.close()
    await new Promise((r) => setTimeout(r, 50))
    expect(got.length).toBe(n)
    expect(() => aerospike.setLogHandler(42 as never)).toThrow(TypeError)
  })

  it('announces the nodes found while connecting with nodeAdded (and event), as the official client', async () => {
    const c = aerospike.client({ hosts: server.address })
    const seen: unknown[] = []
    c.on('nodeAdded', (e) => seen.push(e))
    c.on('event', (e) => seen.push(e.name))
    await c.connect()
    await c.close()
    expect(seen).toEqual([{ name: 'nodeAdded', nodeName: expect.any(String), nodeAddress: server.address }, 'nodeAdded'])
  })

  it('emits nodeRemoved and disconnected when the node goes away, nodeAdded when it is back', async () => {
    const events: string[] = []
    const all: Array<{ name: string; nodeName?: string; nodeAddress?: string }> = []
    client.on('event', (e) => all.push(e))
    client.on('nodeRemoved', (e) => {
      events.push('nodeRemoved')
      expect(e).toMatchObject({ name: 'nodeRemoved', nodeName: expect.any(String), nodeAddress: expect.stringMatching(/:\d+$/) })
    })
    client.on('disconnected', (e) => {
      events.push('disconnected')
      expect(e).toEqual({ name: 'disconnected' })
    })
    client.on('nodeAdded', () => events.push('nodeAdded'))
    server.faults.stopListener()
    for (let i = 0; i < 60 && !events.includes('disconnected'); i++) await new Promise((r) => setTimeout(r, 100))
    expect(events).toContain('nodeRemoved')
    expect(events).toContain('disconnected')
    server.faults.startListener()
    for (let i = 0; i < 60 && !events.includes('nodeAdded'); i++) await new Promise((r) => setTimeout(r, 100))
    expect(events.indexOf('nodeAdded')).toBeGreaterThan(events.indexOf('disconnected'))
    // Every one of them also came as 'event'.
    expect(all.map((e) => e.name)).toEqual(events)
  }, 20_000)
})
