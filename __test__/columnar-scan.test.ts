import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectedClient, hosts, NS, uniqueSet } from './helpers'

const { Key, exp, filter } = aerospike
const N = 2500

/** The bins of record i: a string, a list and a number (a few records lack some). */
function bins(i: number): Record<string, unknown> {
  const b: Record<string, unknown> = { i, name: `n${i}`, v: [i, i * 2] }
  if (i % 10 === 3) delete b.name
  return b
}

describe('scans and queries into columns', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })
  const set = uniqueSet('colscan')
  const index = `${set}_i`
  beforeAll(async () => {
    const p = new aerospike.WritePolicy({ key: aerospike.policy.key.SEND })
    for (let i = 0; i < N; i += 500) {
      await client.batchWrite(
        Array.from({ length: 500 }, (_, j) => ({ type: aerospike.batchType.BATCH_WRITE, key: new Key(NS, set, i + j), policy: p, ops: Object.entries(bins(i + j)).map(([k, v]) => aerospike.operations.write(k, v as never)) })),
      )
    }
    await (await client.createIntegerIndex({ ns: NS, set, bin: 'i', index })).wait()
  })
  afterAll(async () => {
    await client.indexRemove(NS, index).catch(() => {})
  })
  const spec = { i: 'i64', name: 'str', v: 'list<i64>' } as const

  /** Every row of every batch, checked against what was written; returns the i of each row. */
  async function drain(it: AsyncIterable<aerospike.ScanColumns<typeof spec>>, rows: number): Promise<number[]> {
    const seen: number[] = []
    for await (const b of it) {
      expect(b.length).toBeGreaterThan(0)
      expect(b.length).toBeLessThanOrEqual(rows)
      expect(b.digest.length).toBe(20 * b.length)
      expect(b.userKey).toBeInstanceOf(BigInt64Array)
      for (let r = 0; r < b.length; r++) {
        const i = Number(b.columns.i[r])
        const want = bins(i)
        expect(b.status[r]).toBe(0)
        expect(b.gen[r]).toBe(1)
        expect(b.columns.name.get(r)).toBe(want.name ?? null)
        expect(Array.from(b.columns.v.get(r) ?? [])).toEqual([BigInt(i), BigInt(i * 2)])
        expect((b.userKey as BigInt64Array)[r]).toBe(BigInt(i))
        expect(Buffer.from(b.digest.subarray(20 * r, 20 * r + 20))).toEqual(new Key(NS, set, i).digest)
        seen.push(i)
      }
    }
    return seen.sort((a, b) => a - b)
  }
  const all = Array.from({ length: N }, (_, i) => i)

  it('a scan gives every record once, in batches of at most `rows`', async () => {
    expect(await drain(client.scan(NS, set).columns(spec, { rows: 700 }), 700)).toEqual(all)
  })

  it('partition filters, filter expressions and index filters select as the record streams do', async () => {
    const part = await drain(client.scan(NS, set).partitions(0, 2048).columns(spec, { rows: 5000 }), 5000)
    const objs = await client.scan(NS, set).partitions(0, 2048).results()
    expect(part).toEqual(objs.map((r) => r.bins.i as number).sort((a, b) => a - b))
    expect(part.length).toBeLessThan(N)

    const odd = exp.eq(exp.mod(exp.binInt('i'), exp.int(2)), exp.int(1))
    const filtered = await drain(client.scan(NS, set).columns(spec, { rows: 300, filterExpression: odd }), 300)
    expect(filtered).toEqual(all.filter((i) => i % 2 === 1))

    const q = client.query(NS, set).where(filter.range('i', 100, 349))
    expect(await drain(q.columns(spec, { rows: 64 }), 64)).toEqual(all.slice(100, 350))
  })

  it('pagination: maxRecords per page, resumed without loss or repeats', async () => {
    const scan = client.scan(NS, set, { paginate: true, maxRecords: 600 })
    const seen: number[] = []
    let pages = 0
    do {
      const page = await drain(scan.columns(spec, { rows: 250 }), 250)
      expect(page.length).toBeLessThanOrEqual(600)
      seen.push(...page)
      pages++
    } while (scan.hasNextPage() && pages < 20)
    expect(seen.sort((a, b) => a - b)).toEqual(all)
  })

  it('breaking out stops the scan; bad input is a TypeError at the call', async () => {
    let batches = 0
    for await (const b of client.scan(NS, set).columns({ i: 'i64' }, { rows: 10 })) {
      batches++
      if (b.length > 0) break
    }
    expect(batches).toBe(1)
    // The client still works afterwards.
    expect((await client.get(new Key(NS, set, 1))).bins.i).toBe(1)
    expect(() => client.scan(NS, set).columns({ i: 'f32' } as never)).toThrow(TypeError)
    expect(() => client.scan(NS, set).columns({ i: 'i64' }, { rows: 0 })).toThrow(TypeError)
    expect(() => client.scan(NS, set).columns({ i: 'i64' }, { rows: 1.5 })).toThrow(TypeError)
    expect(() => client.scan(NS, set).columns(null as never)).toThrow(TypeError)
  })

  it('records without a sent key have no user-key column; an empty set gives no batch', async () => {
    const s = uniqueSet('colnokey')
    await client.put(new Key(NS, s, 1), { x: 'a' })
    const got = []
    for await (const b of client.scan(NS, s).columns({ x: 'str' })) got.push(b)
    expect(got.length).toBe(1)
    expect([got[0].userKey, got[0].userKeyValid, got[0].columns.x.get(0)]).toEqual([null, null, 'a'])
    const none = []
    for await (const b of client.scan(NS, uniqueSet('colempty')).columns({ x: 'str' })) none.push(b)
    expect(none).toEqual([])
  })

  it('JavaScript heap growth does not scale with the rows scanned', () => {
    // In a child process with --expose-gc: the heap after a collection, sampled at every batch,
    // while scanning 2,000 and 20,000 records. Object mode (results()) is the control that shows
    // the measurement can tell the difference.
    const script = `
      const a = require(${JSON.stringify(path.resolve(__dirname, '..', 'index.js'))});
      (async () => {
        const c = await a.connect({ hosts: ${JSON.stringify(hosts)} });
        const sets = { small: ${JSON.stringify(uniqueSet('hs'))}, big: ${JSON.stringify(uniqueSet('hb'))} };
        for (const [name, n] of [['small', 2000], ['big', 20000]])
          for (let i = 0; i < n; i += 1000)
            await c.batchWrite(Array.from({ length: 1000 }, (_, j) => ({ type: 1, key: new a.Key('test', sets[name], i + j), ops: [a.operations.write('v', i + j + 0.5), a.operations.write('s', 'row ' + (i + j))] })));
        const growth = async (set, cols) => {
          global.gc(); const before = process.memoryUsage().heapUsed; let peak = 0, kept = null;
          if (cols) {
            for await (const b of c.scan('test', set).columns({ v: 'f64', s: 'str' }, { rows: 1000 })) {
              global.gc(); peak = Math.max(peak, process.memoryUsage().heapUsed - before);
            }
          } else {
            kept = await c.scan('test', set).results();
            global.gc(); peak = process.memoryUsage().heapUsed - before;
          }
          return peak;
        };
        await growth(sets.small, true);
        const out = { colSmall: await growth(sets.small, true), colBig: await growth(sets.big, true), objSmall: await growth(sets.small, false), objBig: await growth(sets.big, false) };
        await c.close();
        console.log(JSON.stringify(out));
      })();`
    const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 120_000 })
    expect(r.status, r.stderr).toBe(0)
    const m = JSON.parse(r.stdout.trim().split('\n').pop() as string)
    expect(m.objBig).toBeGreaterThan(m.objSmall * 5)
    expect(m.colBig).toBeLessThan(Math.max(m.colSmall * 2, 256 * 1024))
    expect(m.colBig).toBeLessThan(m.objBig / 10)
  }, 150_000)
})
