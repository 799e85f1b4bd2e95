import { spawnSync } from 'node:child_process'
import * as Arrow from 'apache-arrow'
import { beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectedClient, NS, uniqueSet } from './helpers'

const { Key, exp, status } = aerospike

/** What each row of the typed-columns set holds (undefined = bin absent). */
const N = 40
function row(i: number): Record<string, unknown> {
  const b: Record<string, unknown> = { i }
  if (i % 5 !== 4) b.s = i === 3 ? '' : `é-${i}-${'x'.repeat(i % 7)}`
  if (i % 6 !== 5) b.blob = Buffer.from([i, i + 1, 255])
  if (i % 4 !== 3) b.lf = i === 2 ? [] : [i, i + 0.5]
  b.li = [i, -i, 2 ** 40]
  b.ok = i % 2 === 0
  if (i % 3 === 0) b.geo = new aerospike.GeoJSON({ type: 'Point', coordinates: [i, 1] })
  if (i === 7) {
    b.s = 12 // a number in a str column
    b.blob = 'not a blob'
    b.lf = ['a'] // a list with a string in a list<f64> column
    b.li = [1.5] // a double in a list<i64> column
  }
  return b
}

describe('columnar reads: string, bytes, list, bool and geojson columns', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })
  const set = uniqueSet('coltypes')
  const keys = Array.from({ length: N + 1 }, (_, i) => new Key(NS, set, i))
  const spec = { s: 'str', blob: 'bytes', lf: 'list<f64>', li: 'list<i64>', ok: 'bool', geo: 'geojson' } as const
  beforeAll(async () => {
    // The last key is never written.
    for (let i = 0; i < N; i++) await client.put(keys[i], row(i) as never)
  })

  function check(c: aerospike.ColumnarResult<typeof spec>): void {
    expect(c.length).toBe(N + 1)
    expect(c.columns.s).toBeInstanceOf(aerospike.StringColumn)
    expect(c.columns.s.offsets).toBeInstanceOf(Int32Array)
    expect(c.columns.s.offsets.length).toBe(N + 2)
    expect(c.columns.s.data).toBeInstanceOf(Uint8Array)
    for (let i = 0; i < N; i++) {
      const b = row(i)
      const s = typeof b.s === 'string' ? b.s : null
      expect(c.columns.s.get(i)).toBe(s)
      expect(c.valid.s[i]).toBe(s === null ? 0 : 1)
      const blob = Buffer.isBuffer(b.blob) ? b.blob : null
      expect(c.columns.blob.get(i) && Buffer.from(c.columns.blob.get(i) as Uint8Array)).toEqual(blob)
      const lf = Array.isArray(b.lf) && b.lf.every((x) => typeof x === 'number') ? b.lf : null
      expect(c.columns.lf.get(i) && Array.from(c.columns.lf.get(i) as Float64Array)).toEqual(lf)
      const li = i === 7 ? null : (b.li as number[]).map(BigInt)
      expect(c.columns.li.get(i) && Array.from(c.columns.li.get(i) as BigInt64Array)).toEqual(li)
      expect(c.columns.ok[i]).toBe(i % 2 === 0 ? 1 : 0)
      const geo = b.geo ? JSON.parse(c.columns.geo.get(i) as string) : null
      expect(geo).toEqual(b.geo ? { type: 'Point', coordinates: [i, 1] } : null)
    }
    // The missing record: every column empty and invalid.
    expect([c.status[N], c.columns.s.get(N), c.columns.lf.get(N), c.valid.li[N]]).toEqual([status.ERR_RECORD_NOT_FOUND, null, null, 0])
    expect(c.columns.s.offsets[N + 1]).toBe(c.columns.s.offsets[N])
    expect(c.mismatched).toEqual({ s: 1, blob: 1, lf: 1, li: 1, ok: 0, geo: 0 })
    // Iteration and toArray agree with get().
    expect(c.columns.s.toArray()).toEqual(Array.from({ length: N + 1 }, (_, i) => c.columns.s.get(i)))
    expect([...c.columns.geo].filter((g) => g !== null).length).toBe(Math.ceil(N / 3))
  }

  it('reads every type on the direct path', async () => {
    check(await client.batchReadColumns(keys, spec))
  })

  it('a filter expression travels with the batch: the rows it passes unchanged, the others FILTERED_OUT', async () => {
    const all = new aerospike.BatchPolicy({ filterExpression: exp.ge(exp.binInt('i'), exp.int(0)) })
    const plain = await client.batchReadColumns(keys, spec)
    const passed = await client.batchReadColumns(keys, spec, all)
    check(passed)
    expect(passed.columns.s.data).toEqual(plain.columns.s.data)
    expect(passed.columns.li.offsets).toEqual(plain.columns.li.offsets)
    const even = new aerospike.BatchPolicy({ filterExpression: exp.eq(exp.binBool('ok'), exp.bool(true)) })
    const some = await client.batchReadColumns(keys, spec, even)
    const want = keys.map((_, i) => (i === N ? aerospike.status.ERR_RECORD_NOT_FOUND : i % 2 === 0 ? 0 : aerospike.status.FILTERED_OUT))
    expect(Array.from(some.status)).toEqual(want)
    // The object batch read of the same keys says the same, on the direct path and the crate's.
    const rows = keys.map((key) => ({ key, readAllBins: true }))
    const objects = (await client.batchRead(rows, even)).map((r) => r.status)
    client._native!.objectDirectBatches(false)
    try {
      expect((await client.batchRead(rows, even)).map((r) => r.status)).toEqual(objects)
    } finally {
      client._native!.objectDirectBatches(true)
    }
    expect(objects).toEqual(want)
  })

  it('rows answered out of order still come back in key order', async () => {
    // Keys in reverse and shuffled order: offsets are monotone and values land on their rows.
    const order = keys.slice(0, N).map((k, i) => [k, (i * 17) % N] as const).sort((a, b) => a[1] - b[1]).map(([k]) => k)
    const c = await client.batchReadColumns(order, { s: 'str' })
    for (let r = 0; r < order.length; r++) {
      const b = row(Number(order[r].key))
      expect(c.columns.s.get(r)).toBe(typeof b.s === 'string' ? b.s : null)
      expect(c.columns.s.offsets[r + 1]).toBeGreaterThanOrEqual(c.columns.s.offsets[r])
    }
  })

  it('rejects unknown column types with a TypeError naming the known ones', async () => {
    await expect(client.batchReadColumns(keys, { s: 'utf8' } as never)).rejects.toThrow(/list<f64>/)
    expect(() => new aerospike.StringColumn(new Int32Array([0, 1]), new Uint8Array([65]), new Uint8Array([1])).get(5)).not.toThrow()
  })
})

/** Whether python3 with pyarrow is installed (the pyarrow checks skip cleanly without it). */
const pyarrow = spawnSync('python3', ['-c', 'import pyarrow'], { stdio: 'ignore' }).status === 0

describe('columnar results as Apache Arrow', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })
  const set = uniqueSet('colarrow')
  const keys = Array.from({ length: 6 }, (_, i) => new Key(NS, set, i))
  const spec = { s: 'str', blob: 'bytes', lf: 'list<f64>', li: 'list<i64>', ok: 'bool', f: 'f64', n: 'i64', k: 'i32' } as const
  let c: aerospike.ColumnarResult<typeof spec>
  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      const b: Record<string, unknown> = { s: `s${i}é`, blob: Buffer.from([i]), lf: [i, 0.5], li: [i], ok: i % 2 === 1, f: i / 4, n: 2 ** 40 + i, k: -i }
      if (i === 2) for (const bin of ['s', 'blob', 'lf', 'f']) delete b[bin]
      await client.put(keys[i], b as never)
    }
    c = await client.batchReadColumns(keys, spec)
  })

  /** The table's rows as plain values, for comparing tables from different sources. */
  function rows(t: Arrow.Table): unknown[] {
    return t.toArray().map((r) => {
      const o = r.toJSON() as Record<string, unknown>
      for (const k of Object.keys(o)) {
        const v = o[k] as unknown
        if (v && typeof v === 'object' && 'toArray' in (v as object)) o[k] = Array.from((v as Arrow.Vector).toArray())
        else if (v instanceof Uint8Array) o[k] = Array.from(v)
      }
      return o
    })
  }

  it('builds a Table over the result\'s own buffers, null where invalid', () => {
    const t = aerospike.toArrowTable(c) as unknown as Arrow.Table
    expect(t.numRows).toBe(6)
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['s:Utf8', 'blob:Binary', 'lf:List<Float64>', 'li:List<Int64>', 'ok:Bool', 'f:Float64', 'n:Int64', 'k:Int32'])
    expect(t.getChild('s')?.get(0)).toBe('s0é')
    expect(t.getChild('s')?.get(2)).toBeNull()
    expect(t.getChild('s')?.get(5)).toBeNull() // the record that does not exist
    expect(t.getChild('n')?.get(1)).toBe(2n ** 40n + 1n)
    expect([...(t.getChild('ok') ?? [])]).toEqual([false, true, false, true, false, null])
    expect(Array.from(t.getChild('lf')?.get(3).toArray())).toEqual([3, 0.5])
    expect(t.getChild('f')?.nullCount).toBe(2)
    // The same memory: the Arrow buffers are the result's typed arrays.
    const data = (name: string) => t.getChild(name)!.data[0]
    const same = (a: ArrayBufferView, b: ArrayBufferView) => a.buffer === b.buffer && a.byteOffset === b.byteOffset
    expect(same(data('s').valueOffsets, c.columns.s.offsets)).toBe(true)
    expect(same(data('s').values, c.columns.s.data)).toBe(true)
    expect(same(data('li').children[0].values, c.columns.li.data)).toBe(true)
    expect(same(data('f').values, c.columns.f)).toBe(true)
    // With metadata: status, generation and TTL columns.
    const m = aerospike.toArrowTable(c, { metadata: true }) as unknown as Arrow.Table
    expect(Array.from(m.getChild('_status')!.toArray())).toEqual(Array.from(c.status))
    expect(Array.from(m.getChild('_gen')!.toArray())).toEqual(Array.from(c.gen))
  })

  it('IPC bytes read back with apache-arrow equal the table, in both formats', () => {
    const t = aerospike.toArrowTable(c) as unknown as Arrow.Table
    for (const format of ['stream', 'file'] as const) {
      const back = Arrow.tableFromIPC(aerospike.toArrowIPC(c, { format }))
      expect(back.schema.fields.map(String)).toEqual(t.schema.fields.map(String))
      expect(rows(back)).toEqual(rows(t))
    }
  })

  it.skipIf(!pyarrow)('pyarrow reads the IPC stream', () => {
    const py = `
import sys, json, pyarrow.ipc as ipc
t = ipc.open_stream(sys.stdin.buffer.read()).read_all()
print(json.dumps({"schema": [f"{f.name}:{f.type}" for f in t.schema], "s": t.column("s").to_pylist(), "li": t.column("li").to_pylist(), "n": [str(x) for x in t.column("n").to_pylist()], "ok": t.column("ok").to_pylist()}))
`
    const r = spawnSync('python3', ['-c', py], { input: aerospike.toArrowIPC(c), encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.schema).toEqual(['s:string', 'blob:binary', 'lf:list<item: double not null>', 'li:list<item: int64 not null>', 'ok:bool', 'f:double', 'n:int64', 'k:int32'])
    expect(out.s).toEqual(['s0é', 's1é', null, 's3é', 's4é', null])
    expect(out.li).toEqual([[0], [1], [2], [3], [4], null])
    expect(out.n).toEqual([0, 1, 2, 3, 4].map((i) => String(2 ** 40 + i)).concat('None'))
    expect(out.ok).toEqual([false, true, false, true, false, null])
  })

  it('refuses what is not a columnar result', () => {
    expect(() => aerospike.toArrowTable({} as never)).toThrow(TypeError)
  })
})

describe('columnar writes', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })

  it('writes one record per row from typed arrays and string, blob and boolean arrays', async () => {
    const set = uniqueSet('colwrite')
    const n = 300
    const keys = Array.from({ length: n }, (_, i) => new Key(NS, set, i))
    const f = Float64Array.from({ length: n }, (_, i) => i / 8)
    const big = BigInt64Array.from({ length: n }, (_, i) => 2n ** 50n + BigInt(i))
    const small = Int32Array.from({ length: n }, (_, i) => -i)
    const s = Array.from({ length: n }, (_, i) => (i % 9 === 4 ? null : `ü${i}`))
    const raw = Array.from({ length: n }, (_, i) => Buffer.from([i & 255, 7]))
    const flag = Array.from({ length: n }, (_, i) => i % 2 === 0)
    const codes = await client.batchWriteColumns(keys, { f, big, small, s, raw, flag })
    expect(codes).toBeInstanceOf(Int32Array)
    expect(Array.from(codes)).toEqual(new Array(n).fill(0))
    const back = (await client.batchGet(keys)) as aerospike.BatchResult[]
    for (let i = 0; i < n; i++) {
      const b = back[i].record.bins
      expect(b.f).toBe(i / 8)
      expect(BigInt(b.big as number)).toBe(2n ** 50n + BigInt(i))
      expect(b.small).toBe(-i || 0)
      expect(b.s).toBe(i % 9 === 4 ? undefined : `ü${i}`)
      expect(b.raw).toEqual(Buffer.from([i & 255, 7]))
      expect(b.flag).toBe(i % 2 === 0)
    }
    // Read back as columns and written again from them: a round trip through the column classes.
    const cols = await client.batchReadColumns(keys, { s: 'str', f: 'f64' })
    const copy = keys.map((_, i) => new Key(NS, set, `copy${i}`))
    await client.batchWriteColumns(copy, { s: cols.columns.s, f: { values: cols.columns.f, valid: cols.valid.f } })
    const again = await client.batchReadColumns(copy, { s: 'str', f: 'f64' })
    expect(again.columns.s.toArray()).toEqual(cols.columns.s.toArray())
    expect(again.columns.f).toEqual(cols.columns.f)
  })

  it('per-row result codes: a row with no bin is ERR_PARAM, the write policy applies per row', async () => {
    const set = uniqueSet('colwrite2')
    const keys = [new Key(NS, set, 'a'), new Key(NS, set, 'b'), new Key(NS, set, 'c')]
    await client.put(keys[0], { x: 'old' })
    const create = new aerospike.WritePolicy({ exists: aerospike.policy.exists.CREATE })
    const codes = await client.batchWriteColumns(keys, { x: ['new', 'new', null] }, null, create)
    expect(Array.from(codes)).toEqual([status.ERR_RECORD_EXISTS, 0, status.ERR_PARAM])
    expect((await client.get(keys[0])).bins.x).toBe('old')
    expect(await client.exists(keys[2])).toBe(false)
  })

  it('runs on the columnar path\'s own connections, with the results of the crate batch', async () => {
    const set = uniqueSet('colwrite3')
    const n = 60
    const direct = () => client._native!.columnarDirectWrites()
    const cols = {
      f: Float64Array.from({ length: n }, (_, i) => i * 1.5),
      i: Int32Array.from({ length: n }, (_, i) => i - 30),
      s: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `s${i}ü`)),
      flag: Array.from({ length: n }, (_, i) => i % 3 === 0),
    }
    const keys = (p: string) => Array.from({ length: n }, (_, i) => new Key(NS, set, `${p}${i}`))
    const send = { key: aerospike.policy.key.SEND, ttl: 1000 }
    const before = direct()
    const a = await client.batchWriteColumns(keys('a'), cols, null, new aerospike.WritePolicy(send))
    expect(direct()).toBe(before + 1)
    // durableDelete is left to the crate's batch.
    const b = await client.batchWriteColumns(keys('b'), cols, null, new aerospike.WritePolicy({ ...send, durableDelete: true }))
    expect(direct()).toBe(before + 1)
    expect(Array.from(a)).toEqual(new Array(n).fill(0))
    expect(Array.from(b)).toEqual(Array.from(a))
    const [ra, rb] = [(await client.batchGet(keys('a'))) as aerospike.BatchResult[], (await client.batchGet(keys('b'))) as aerospike.BatchResult[]]
    for (let i = 0; i < n; i++) {
      expect(ra[i].record.bins).toEqual(rb[i].record.bins)
      expect(ra[i].record.bins).toEqual({ f: i * 1.5, i: i - 30, flag: i % 3 === 0, ...(i % 5 ? { s: `s${i}ü` } : {}) })
      expect(ra[i].record.ttl).toBeGreaterThan(990)
      expect(ra[i].record.ttl).toBeLessThanOrEqual(1000)
    }
    // The user keys were sent by both paths.
    const userKeys = new Set<string>()
    for await (const batch of client.scan(NS, set).columns({ f: 'f64' })) {
      for (let r = 0; r < batch.length; r++) userKeys.add((batch.userKey as aerospike.StringColumn).get(r) as string)
    }
    expect(userKeys).toEqual(new Set([...keys('a'), ...keys('b')].map((k) => k.key)))
    // A string cut inside a character, and a row with no bin, are ERR_PARAM; the rest is written.
    const data = Buffer.from('aéb')
    const cut = new aerospike.StringColumn(Int32Array.from([0, 1, 2, 4]), data, Uint8Array.from([1, 1, 1]))
    const mixed = [new Key(NS, set, 'c0'), new Key(NS, set, 'c1'), new Key(NS, set, 'c2')]
    const codes = await client.batchWriteColumns(mixed, { s: cut, v: { values: Float64Array.from([1, 2, 3]), valid: Uint8Array.from([1, 1, 0]) } })
    expect(direct()).toBe(before + 2)
    expect(Array.from(codes)).toEqual([0, status.ERR_PARAM, status.ERR_PARAM])
    expect((await client.get(mixed[0])).bins).toEqual({ s: 'a', v: 1 })
    expect(await client.exists(mixed[1])).toBe(false)
  })

  it('bad input is a TypeError, never a crash', async () => {
    const keys = [new Key(NS, 'x', 1), new Key(NS, 'x', 2)]
    const bad: unknown[] = [
      { v: new Float32Array(2) },
      { v: new Float64Array(3) },
      { v: ['a', 1] },
      { v: [Buffer.from('a'), 'b'] },
      { v: [true, 1] },
      { v: { values: new Float64Array(2), valid: new Uint8Array(1) } },
      { 'a-bin-name-too-long': new Float64Array(2) },
      {},
      null,
      { v: 'str' },
    ]
    for (const cols of bad) await expect(client.batchWriteColumns(keys, cols as never)).rejects.toBeInstanceOf(TypeError)
    await expect(client.batchWriteColumns('k' as never, { v: new Float64Array(1) })).rejects.toBeInstanceOf(TypeError)
  })
})
