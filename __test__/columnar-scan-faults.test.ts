// Direct columnar scans against a server of our own that hangs, breaks connections mid-reply or
// answers "partition unavailable": totalTimeout bounds the scan, and what a failed round left is
// scanned again in the next round (up to maxRetries), each record delivered exactly once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, expectCode, NS, uniqueSet } from './helpers'

const N = 3000
const set = uniqueSet('colscanfaults')
const spec = { i: 'i64' } as const
let server: aerospike.EmbeddedServer
let client: aerospike.Client

beforeAll(async () => {
  server = await aerospike.startServer()
  client = await aerospike.connect({ hosts: server.address })
  for (let i = 0; i < N; i += 1000) {
    const keys = Array.from({ length: 1000 }, (_, j) => new aerospike.Key(NS, set, i + j))
    await client.batchWriteColumns(keys, { i: BigInt64Array.from(keys, (k) => BigInt(k.key as number)) })
  }
})
afterEach(() => server.faults.clear())
afterAll(async () => {
  await client.close()
  await server.stop()
})

const directScans = () => client._native!.columnarDirectScans()

/** Every value of the scan (by digest, failing on a digest seen twice). */
async function values(options: aerospike.ColumnsOptions): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>()
  for await (const b of client.scan(NS, set).columns(spec, options)) {
    for (let r = 0; r < b.length; r++) {
      const digest = Buffer.from(b.digest.subarray(20 * r, 20 * r + 20)).toString('hex')
      expect(out.has(digest)).toBe(false)
      out.set(digest, b.columns.i[r])
    }
  }
  return out
}

function expectAll(got: Map<string, bigint>): void {
  expect(got.size).toBe(N)
  expect(new Set(got.values())).toEqual(new Set(Array.from({ length: N }, (_, i) => BigInt(i))))
}

describe('direct columnar scan: timeouts', () => {
  it('totalTimeout bounds a scan against a hung server, with the official timeout error', async () => {
    server.faults.inject({ type: 'hang' })
    const before = directScans()
    const t0 = performance.now()
    const e = await expectCode(values({ totalTimeout: 200, socketTimeout: 0, maxRetries: 5 }), aerospike.status.ERR_TIMEOUT)
    const took = performance.now() - t0
    expect(directScans()).toBe(before + 1)
    expect(took).toBeGreaterThanOrEqual(195)
    expect(took).toBeLessThan(200 + 300)
    expect(e.message).toMatch(/^timeout: iterations=\d+$/)
    expect(e.message).not.toMatch(/batch/)
  })

  it('totalTimeout covers the time a slow consumer holds the scan (backpressure)', async () => {
    const it = client.scan(NS, set).columns(spec, { rows: 10, totalTimeout: 150 })[Symbol.asyncIterator]()
    const first = await it.next()
    expect(first.done).toBe(false)
    // The scan cannot finish while nothing is taken: the read-ahead is a few batches of 10.
    await new Promise((r) => setTimeout(r, 300))
    let taken = 0
    const drain = async () => {
      for (;;) {
        const b = await it.next()
        if (b.done) return
        taken++
      }
    }
    await expectCode(drain(), aerospike.status.ERR_TIMEOUT)
    expect(taken).toBeLessThan(10)
  })

  it('a paused consumer stops the server sending: backpressure reaches the socket', async () => {
    const big = uniqueSet('colscanbig')
    const M = 40_000
    const pad = 'x'.repeat(1000)
    for (let i = 0; i < M; i += 5000) {
      const keys = Array.from({ length: 5000 }, (_, j) => new aerospike.Key(NS, big, i + j))
      await client.batchWriteColumns(keys, { i: BigInt64Array.from(keys, (k) => BigInt(k.key as number)), pad: keys.map(() => pad) })
    }
    const before = server.faults.bytesSent()
    const it = client.scan(NS, big).columns({ i: 'i64', pad: 'str' }, { rows: 100 })[Symbol.asyncIterator]()
    let n = ((await it.next()).value as aerospike.ScanColumns<{ i: 'i64' }>).length
    const sent = () => server.faults.bytesSent() - before
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
    // The sends stop once the socket buffers are full (on a busy machine that takes a while,
    // in bursts): wait until nothing went for 400 ms…
    let [paused, still] = [sent(), 0]
    for (let i = 0; i < 100 && still < 4; i++) {
      await sleep(100)
      still = sent() === paused ? still + 1 : 0
      paused = sent()
    }
    // …and nothing more goes while the loop holds the scan: the node task stopped reading.
    await sleep(300)
    expect(sent()).toBe(paused)
    for (;;) {
      const b = await it.next()
      if (b.done) break
      n += b.value.length
    }
    expect(n).toBe(M)
    const total = sent()
    expect(total).toBeGreaterThan(M * 1000)
    expect(paused).toBeLessThan(total / 2)
  })

  it('a socketTimeout shorter than the hang fails each round, and the rounds run out', async () => {
    server.faults.inject({ type: 'hang' })
    const before = server.faults.commands()
    const e = await expectCode(values({ socketTimeout: 50, totalTimeout: 0, maxRetries: 2 }), aerospike.status.ERR_TIMEOUT)
    expect(server.faults.commands() - before).toBe(3)
    expect(e.message.split('\n').slice(1)).toEqual(['sub-errors:', ...[1, 2, 3].map((n) => `9,${n},${server.address},socket timeout`)])
  })
})

describe('direct columnar scan: retries', () => {
  it('a connection that breaks mid-reply is resumed where it stopped: every record once', async () => {
    let sent = server.faults.bytesSent()
    expectAll(await values({ rows: 256 }))
    const whole = server.faults.bytesSent() - sent
    server.faults.inject({ type: 'close-mid-response', count: 1 })
    const before = server.faults.commands()
    const scans = directScans()
    sent = server.faults.bytesSent()
    expectAll(await values({ rows: 256, maxRetries: 2 }))
    expect(server.faults.commands() - before).toBe(2)
    expect(directScans()).toBe(scans + 1)
    // The second round asked only for what the first did not deliver (the broken half of the
    // reply is not counted as sent).
    expect(server.faults.bytesSent() - sent).toBeLessThan(whole * 0.75)
  })

  it('a node answering "partition unavailable" is asked again in the next round', async () => {
    server.faults.inject({ type: 'code', code: 11, count: 1 })
    const before = server.faults.commands()
    expectAll(await values({ maxRetries: 1 }))
    expect(server.faults.commands() - before).toBe(2)
  })

  it('a scan out of rounds fails with the last failure code and lists each failure', async () => {
    server.faults.inject({ type: 'code', code: 11 })
    const before = server.faults.commands()
    const e = await expectCode(values({ maxRetries: 1 }), 11)
    expect(server.faults.commands() - before).toBe(2)
    const [first, ...rest] = e.message.split('\n')
    expect(first).toBe(aerospike.status.getMessage(11))
    expect(rest).toEqual(['sub-errors:', `11,1,${server.address},server result code 11`, `11,2,${server.address},server result code 11`])
    expect(e.message).not.toMatch(/batch/)
    // With no retry, a broken connection fails the scan with the connection error.
    server.faults.clear()
    server.faults.inject({ type: 'close-mid-response', count: 1 })
    await expectCode(values({ maxRetries: 0 }), aerospike.status.ERR_CONNECTION)
  })

  it('a server error that another round cannot fix fails the scan at once, with its code', async () => {
    server.faults.inject({ type: 'code', code: 4 })
    const before = server.faults.commands()
    const e = await expectCode(values({ maxRetries: 3 }), aerospike.status.ERR_REQUEST_INVALID)
    expect(server.faults.commands() - before).toBe(1)
    expect(e.message).toBe(`${server.address} ${aerospike.status.getMessage(4)}`)
  })
})

describe('direct columnar write', () => {
  const keys = Array.from({ length: 20 }, (_, i) => new aerospike.Key(NS, uniqueSet('colwritefaults'), i))
  const cols = { v: Float64Array.from(keys, (_, i) => i) }

  it('totalTimeout bounds a write against a hung server', async () => {
    server.faults.inject({ type: 'hang' })
    const before = client._native!.columnarDirectWrites()
    const t0 = performance.now()
    const e = await expectCode(client.batchWriteColumns(keys, cols, { totalTimeout: 150, maxRetries: 0 }), aerospike.status.ERR_TIMEOUT)
    expect(performance.now() - t0).toBeLessThan(150 + 300)
    expect(e.inDoubt).toBe(true)
    expect(client._native!.columnarDirectWrites()).toBe(before + 1)
  })

  it('a connection that breaks before the answer is replaced and the request sent again', async () => {
    server.faults.inject({ type: 'close', count: 1 })
    const before = server.faults.commands()
    const codes = await client.batchWriteColumns(keys, cols, { maxRetries: 1, totalTimeout: 2000 })
    expect(Array.from(codes)).toEqual(new Array(keys.length).fill(0))
    expect(server.faults.commands() - before).toBe(2)
    const back = await client.batchReadColumns(keys, { v: 'f64' })
    expect(Array.from(back.columns.v)).toEqual(Array.from(cols.v))
  })
})
