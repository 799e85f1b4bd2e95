// client.enableMetrics(policy) / disableMetrics() as the official client has them: the metrics
// files (C client format, header version 2), rotation, the listeners and the snapshots they
// receive, config.policies.metrics, and the errors for bad policies.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, expectCode, NS, uniqueSet } from './helpers'

let server: aerospike.EmbeddedServer
let client: aerospike.Client
const set = uniqueSet('mpol')
const dirs: string[] = []
const TEND = 250

const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'napi-metrics-'))
  dirs.push(d)
  return d
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const files = (dir: string) => readdirSync(dir).filter((f) => /^metrics-\d{14}(-\d+)?\.log$/.test(f)).sort()
const lines = (dir: string) => files(dir).flatMap((f) => readFileSync(path.join(dir, f), 'utf8').trimEnd().split('\n'))
const sum = (a: number[]) => a.reduce((s, x) => s + x, 0)

beforeAll(async () => {
  server = await aerospike.startServer()
  client = await aerospike.connect({ hosts: server.address, tenderInterval: TEND, appId: 'napi-test' })
})
afterAll(async () => {
  await client.close()
  await server.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('metrics files', () => {
  it('writes a header and a snapshot every interval tend rounds, in the C client format', async () => {
    const dir = tmp()
    const policy = new aerospike.MetricsPolicy({ reportDir: dir, interval: 1, latencyColumns: 5, latencyShift: 2, labels: { size: 'large', zone: 'a' } })
    await client.enableMetrics(policy)
    const key = new aerospike.Key(NS, set, 'file')
    await client.put(key, { a: 1 })
    await client.get(key)
    await sleep(TEND * 3)
    await client.disableMetrics()

    expect(files(dir)).toHaveLength(1)
    const [header, ...snaps] = lines(dir)
    expect(header).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d header\(2\) cluster\[name,clientType,clientVersion,appId,label\[\],cpu,mem,/)
    expect(header!.split('latency(')[1]!.split(')')[0]).toBe('5,2')
    // Snapshots every round, and a last one on disable.
    expect(snaps.length).toBeGreaterThanOrEqual(3)
    const last = snaps[snaps.length - 1]!
    const version = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version
    const t = last.split(',')
    expect(t[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d cluster\[$/)
    expect(t.slice(1, 4)).toEqual(['nodejs', version, 'napi-test'])
    expect(t.slice(4, 8).join('')).toBe('[[sizelarge][zonea]]')
    const port = server.address.split(':')[1]
    // The node: name, address, port, sync then async connections (6 numbers each).
    const node = last.match(/,\[\[([0-9A-F]+),127\.0\.0\.1,(\d+),((?:\d+,){12})\[(.*)\]\]\]\]$/)
    expect(node, last).not.toBeNull()
    expect(node![2]).toBe(port)
    // The namespace: name, errors, timeouts, keyBusy, bytesIn, bytesOut, then 5 histograms of 5 buckets.
    const ns = node![4]!.match(new RegExp(`(?:^|\\]\\],)${NS},(\\d+),(\\d+),(\\d+),(\\d+),(\\d+),\\[conn\\[([\\d,]+)\\],write\\[([\\d,]+)\\],read\\[([\\d,]+)\\],batch\\[([\\d,]+)\\],query\\[([\\d,]+)\\]\\]`))
    expect(ns, node![4]).not.toBeNull()
    const [bytesIn, bytesOut] = [Number(ns![4]), Number(ns![5])]
    expect(bytesIn).toBeGreaterThan(0)
    expect(bytesOut).toBeGreaterThan(0)
    const hist = ns!.slice(6, 11).map((h) => h!.split(',').map(Number))
    for (const h of hist) expect(h).toHaveLength(5)
    expect(sum(hist[1]!)).toBe(1) // the put
    expect(sum(hist[2]!)).toBe(1) // the get
  })

  it('starts a new file once reportSizeLimit is reached', async () => {
    const dir = tmp()
    // Big labels make each snapshot line ~300 kB: a new file after every 4 lines.
    const policy = new aerospike.MetricsPolicy({ reportDir: dir, interval: 1, reportSizeLimit: 1_000_000, labels: { big: 'x'.repeat(300_000) } })
    await client.enableMetrics(policy)
    await sleep(TEND * 10)
    await client.disableMetrics()
    const names = files(dir)
    expect(names.length).toBeGreaterThanOrEqual(2)
    for (const f of names) {
      const content = readFileSync(path.join(dir, f), 'utf8')
      expect(content).toMatch(/^[\d :-]+ header\(2\) /)
    }
    for (const f of names.slice(0, -1)) expect(readFileSync(path.join(dir, f)).length).toBeGreaterThanOrEqual(1_000_000)
  })

  it('uses config.policies.metrics when enableMetrics() has no policy, and close() writes a last snapshot', async () => {
    const dir = tmp()
    const c = await aerospike.connect({ hosts: server.address, tenderInterval: TEND, policies: { metrics: new aerospike.MetricsPolicy({ reportDir: dir, interval: 1000 }) } })
    await c.enableMetrics()
    expect(lines(dir)).toHaveLength(1) // the header
    await c.close()
    const all = lines(dir)
    expect(all).toHaveLength(2)
    expect(all[1]).toMatch(/ cluster\[,nodejs,/)
  })

  it('fails with ERR_CLIENT when the directory cannot be written', async () => {
    const err = await expectCode(client.enableMetrics(new aerospike.MetricsPolicy({ reportDir: path.join(tmp(), 'missing', 'dir') })), aerospike.status.ERR_CLIENT)
    expect(err.message).toMatch(/^Failed to open file: /)
  })
})

describe('metrics listeners', () => {
  it('calls enable, snapshot and disable listeners with cluster snapshots', async () => {
    const calls: string[] = []
    const snaps: aerospike.Cluster[] = []
    let last: aerospike.Cluster | null = null
    const listeners = new aerospike.MetricsListeners({
      enableListener: () => calls.push('enable'),
      snapshotListener: (c) => {
        calls.push('snapshot')
        snaps.push(c)
      },
      nodeCloseListener: () => calls.push('nodeClose'),
      disableListener: (c) => {
        calls.push('disable')
        last = c
      },
    })
    await client.enableMetrics(new aerospike.MetricsPolicy({ metricsListeners: listeners, interval: 2, latencyColumns: 4, labels: { a: 'b' } }))
    expect(calls).toEqual(['enable'])
    const key = new aerospike.Key(NS, set, 'listen')
    await client.put(key, { a: 1 })
    await client.get(key)
    await client.get(new aerospike.Key(NS, set, 'absent')).catch(() => {})
    await expectCode(client.put(key, { a: 2 }, null, { exists: aerospike.policy.exists.CREATE }), aerospike.status.ERR_RECORD_EXISTS)
    await sleep(TEND * 5)
    await client.disableMetrics()
    expect(calls[0]).toBe('enable')
    expect(calls[calls.length - 1]).toBe('disable')
    expect(calls.filter((c) => c === 'snapshot').length).toBeGreaterThanOrEqual(1)
    expect(calls).not.toContain('nodeClose')

    const c = last as unknown as aerospike.Cluster
    expect(c.appId).toBe('napi-test')
    expect(c.clusterName).toBe('')
    expect(c.labels).toEqual({ a: 'b' })
    expect(c.commandCount).toBeGreaterThanOrEqual(4)
    expect(c.transactionCount).toBe(c.commandCount)
    expect(c.eventLoop).toEqual({ processSize: 0, queueSize: 0 })
    expect(c.nodes).toHaveLength(1)
    const node = c.nodes[0]!
    expect(node.address).toBe('127.0.0.1')
    expect(node.port).toBe(Number(server.address.split(':')[1]))
    expect(node.conns.inPool + node.conns.inUse).toBeGreaterThan(0)
    const ns = node.metrics.find((m) => m.ns === NS)!
    expect(ns.writeLatency).toHaveLength(4)
    expect(sum(ns.writeLatency)).toBe(1) // the put that succeeded
    expect(sum(ns.readLatency)).toBe(2) // a record not found is not an error
    expect(ns.errorCount).toBeGreaterThanOrEqual(1) // the create of an existing record
    expect(ns.timeoutCount).toBe(0)
    // Listeners are called no more after disable.
    const n = calls.length
    await sleep(TEND * 3)
    expect(calls.length).toBe(n)
  })

  it('enabling again disables the running session first', async () => {
    const calls: string[] = []
    const mk = (tag: string) =>
      new aerospike.MetricsListeners({
        enableListener: () => calls.push(`${tag}:enable`),
        snapshotListener: () => {},
        nodeCloseListener: () => {},
        disableListener: () => calls.push(`${tag}:disable`),
      })
    await client.enableMetrics(new aerospike.MetricsPolicy({ metricsListeners: mk('a') }))
    await client.enableMetrics(new aerospike.MetricsPolicy({ metricsListeners: mk('b') }))
    await client.disableMetrics()
    await client.disableMetrics()
    expect(calls).toEqual(['a:enable', 'a:disable', 'b:enable', 'b:disable'])
  })

  it('takes a callback instead of a promise', async () => {
    const err = await new Promise((resolve) => client.enableMetrics(new aerospike.MetricsPolicy({ interval: 'x' as never }), resolve))
    expect((err as aerospike.AerospikeError).code).toBe(aerospike.status.ERR_PARAM)
    await new Promise((resolve) => client.disableMetrics(resolve))
  })
})

describe('bad metrics policies', () => {
  const listener = () => {}
  it('TypeErrors for a policy that is not an object and listeners that are not functions', async () => {
    await expect(client.enableMetrics(10 as never)).rejects.toThrow(new TypeError('policy must be an object'))
    for (const name of ['enableListener', 'snapshotListener', 'nodeCloseListener', 'disableListener']) {
      const l = { enableListener: listener, snapshotListener: listener, nodeCloseListener: listener, disableListener: listener, [name]: 10 }
      const p = client.enableMetrics(new aerospike.MetricsPolicy({ metricsListeners: new aerospike.MetricsListeners(l as never) }))
      await expect(p).rejects.toThrow(new TypeError(`${name} must be a function`))
    }
  })

  it('ERR_PARAM for some listeners only, bad labels, report dirs and numbers', async () => {
    const bad: aerospike.MetricsPolicyOptions[] = [
      { metricsListeners: new aerospike.MetricsListeners({ enableListener: listener } as never) },
      { metricsListeners: new aerospike.MetricsListeners({ enableListener: listener, snapshotListener: listener, nodeCloseListener: listener } as never) },
      { labels: 'a' as never },
      { labels: { a: 1 } as never },
      { reportDir: '' },
      { reportDir: 'a'.repeat(256) },
      { reportDir: 10 as never },
      { reportSizeLimit: 'a' as never },
      { interval: 'a' as never },
      { interval: 0 },
      { latencyColumns: 'a' as never },
      { latencyColumns: 0 },
      { latencyShift: -1 },
    ]
    for (const b of bad) {
      const err = await expectCode(client.enableMetrics(new aerospike.MetricsPolicy(b)), aerospike.status.ERR_PARAM)
      expect(err.message).toBe('Metrics policy parameter invalid')
    }
  })

  it('ERR_CLIENT for a reportSizeLimit under 1,000,000', async () => {
    const err = await expectCode(client.enableMetrics(new aerospike.MetricsPolicy({ reportSizeLimit: 1000 })), aerospike.status.ERR_CLIENT)
    expect(err.message).toBe('Metrics policy report_size_limit 1000 must be at least 1000000')
  })

  it('MetricsPolicy and MetricsListeners keep the given fields, and policy.createPolicy knows "metrics"', () => {
    const p = new aerospike.MetricsPolicy({ reportDir: '/x', interval: 3 })
    expect(p).toMatchObject({ reportDir: '/x', interval: 3, latencyColumns: undefined })
    expect(aerospike.policy.createPolicy('metrics', { interval: 5 })).toBeInstanceOf(aerospike.MetricsPolicy)
    expect(aerospike.policy.MetricsPolicy).toBe(aerospike.MetricsPolicy)
  })
})
