// UDF modules and background jobs through our client: registering and removing Lua modules,
// background operations over a scan and a query, errors for unknown modules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, connectClient, NS, uniqueSet } from './helpers'

let client: aerospike.Client
const set = uniqueSet('udf')

beforeAll(async () => {
  client = await connectClient()
  for (let i = 0; i < 60; i++) await client.put(new aerospike.Key(NS, set, i), { i })
})
afterAll(async () => {
  await client.truncate(NS, set, 0).catch(() => {})
  await client.close()
})

describe('background jobs', () => {
  it('scan.operate() applies operations to every record of the set and its job completes', async () => {
    const job = await client.scan(NS, set).operate([aerospike.operations.write('flag', 1), aerospike.operations.incr('i', 1000)])
    expect(typeof job.jobID).toBe('number')
    expect(job.module).toBe('scan')
    await job.wait(20)
    expect(await job.checkStatus()).toBe(true)
    const info = await job.info()
    expect(info.status).toBe(aerospike.jobStatus.COMPLETED)
    expect(info.progressPct).toBe(100)
    const rs = await client.scan(NS, set).results()
    expect(rs).toHaveLength(60)
    expect(rs.map((r) => r.bins.i as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1000))
    expect(rs.every((r) => r.bins.flag === 1)).toBe(true)
  })

  it('query.operate() with a filter expression touches only matching records', async () => {
    const job = await client.scan(NS, set).operate([aerospike.operations.write('even', true)], {
      filterExpression: aerospike.exp.eq(aerospike.exp.intAnd(aerospike.exp.binInt('i'), aerospike.exp.int(1)), aerospike.exp.int(0)),
    })
    await job.waitUntilDone(20)
    const rs = await client.scan(NS, set).results()
    for (const r of rs) expect(r.bins.even === true).toBe((r.bins.i as number) % 2 === 0)
  })

  it('scan.operate() with touch(ttl) sets every record\'s TTL, as the official client', async () => {
    const job = await client.scan(NS, set).operate([aerospike.operations.touch(4321)])
    await job.waitUntilDone(20)
    const rs = await client.scan(NS, set).results()
    expect(rs).toHaveLength(60)
    for (const r of rs) expect(r.ttl).toBeGreaterThanOrEqual(4319)
    for (const r of rs) expect(r.ttl).toBeLessThanOrEqual(4321)
  })

  it('rejects bad job arguments', async () => {
    await expect(client.scan(NS, set).operate([])).rejects.toBeInstanceOf(TypeError)
    await expect(client.scan(NS, set).background('', 'f')).rejects.toBeInstanceOf(TypeError)
  })
})

describe('UDF modules', () => {
  it('registers, lists and removes a module', async () => {
    const name = `${set}.lua`
    const job = await client.udfRegister(Buffer.from('function hello(rec) return "hi" end\n'), set)
    expect(job).toBeInstanceOf(aerospike.UdfJob)
    expect(job.udfModule).toBe(name)
    await job.wait(10)
    expect(await client.infoAny('udf-list')).toContain(name)
    await (await client.udfRemove(set)).wait(10)
    expect(await client.infoAny('udf-list')).not.toContain(name)
  })

  it('query.apply() aggregates: stream phases on the server, the final reduce in the client', async () => {
    const mod = `${set}_agg`
    const src = 'local function add(a, b) return a + b end\nfunction total(s) return s : map(function(r) return r.i end) : reduce(add) end\nfunction evens(s) return s : filter(function(r) return r.i % 2 == 0 end) : map(function(r) return r.i end) end\n'
    await (await client.udfRegister(Buffer.from(src), mod)).wait(10)
    const sum = (await client.scan(NS, set).results()).reduce((a, r) => a + (r.bins.i as number), 0)
    expect(await client.query(NS, set).apply(mod, 'total')).toBe(sum)
    const q = client.query(NS, set)
    q.setUdf(mod, 'evens')
    const vals = (await q.results()).map((r) => r.bins as unknown as number)
    expect(vals.length).toBe(30)
    expect(vals.every((v) => v % 2 === 0)).toBe(true)
    const err = (await client.udfRegister('/no/such/file.lua').catch((e) => e)) as aerospike.AerospikeError
    expect(err.code).toBe(aerospike.status.ERR_CLIENT)
    await client.udfRemove(mod)
  })

  it('IndexJob reports an unknown index as not done', async () => {
    expect(await new aerospike.IndexJob(client, NS, 'no_such_index').checkStatus()).toBe(false)
  })

  it('calling a function of a module that does not exist fails with ERR_UDF (100)', async () => {
    const err = (await client.apply(new aerospike.Key(NS, set, 1), { module: "no_such_module", funcname: "f" }).catch((e) => e)) as aerospike.AerospikeError
    expect(err).toBeInstanceOf(aerospike.AerospikeError)
    expect(err.code).toBe(aerospike.status.ERR_UDF)
    const rows = await client.batchApply([new aerospike.Key(NS, set, 1)], { module: 'no_such_module', funcname: 'f' })
    expect(rows[0]!.status).toBe(aerospike.status.ERR_UDF)
    await expect(client.apply(new aerospike.Key(NS, set, 1), { module: 1 } as never)).rejects.toBeInstanceOf(TypeError)
  })
})

describe('running UDFs', () => {
  const mod = `${set}_m`
  const source = `
function bump(rec, bin, by)
  rec[bin] = (rec[bin] or 0) + by
  if aerospike:exists(rec) then aerospike:update(rec) else aerospike:create(rec) end
  return rec[bin]
end
function describe(rec)
  local m = map()
  m['gen'] = record.gen(rec)
  m['has_n'] = rec['n'] ~= nil
  return m
end
function fail(rec, msg)
  error(msg)
end
`
  beforeAll(async () => {
    await client.udfRegister(Buffer.from(source), mod)
  })
  afterAll(async () => {
    await client.udfRemove(mod).catch(() => {})
  })

  it('apply() runs a function with arguments and returns its value; the record changes', async () => {
    const key = new aerospike.Key(NS, set, 'apply')
    expect(await client.apply(key, { module: mod, funcname: 'bump', args: ['n', 5] })).toBe(5)
    expect(await client.apply(key, { module: mod, funcname: 'bump', args: ['n', 2n ** 40n] })).toBe(5 + 2 ** 40)
    expect((await client.get(key)).bins.n).toBe(5 + 2 ** 40)
    const d = (await client.apply(key, { module: mod, funcname: 'describe' })) as { gen: number; has_n: boolean }
    expect(d).toEqual({ gen: 2, has_n: true })
  })

  it('a Lua error is ERR_UDF with the message', async () => {
    const err = (await client.apply(new aerospike.Key(NS, set, 1), { module: mod, funcname: 'fail', args: ['boom'] }).catch((e) => e)) as aerospike.AerospikeError
    expect(err.code).toBe(aerospike.status.ERR_UDF)
    expect(err.message).toMatch(/boom/)
  })

  it('batchApply() and BATCH_APPLY rows run it per record, with per-row results', async () => {
    const keys = [0, 1, 2].map((i) => new aerospike.Key(NS, set, `b${i}`))
    const rows = await client.batchApply(keys, { module: mod, funcname: 'bump', args: ['c', 3] })
    expect(rows.map((r) => r.status)).toEqual([0, 0, 0])
    expect(rows.map((r) => r.record.bins.SUCCESS)).toEqual([3, 3, 3])
    const mixed = await client.batchWrite([
      { type: aerospike.batchType.BATCH_APPLY, key: keys[0]!, udf: { module: mod, funcname: 'bump', args: ['c', 1] } },
      { type: aerospike.batchType.BATCH_APPLY, key: keys[1]!, udf: { module: mod, funcname: 'fail', args: ['no'] } },
    ])
    expect(mixed[0]!.status).toBe(0)
    expect(mixed[0]!.record.bins.SUCCESS).toBe(4)
    expect(mixed[1]!.status).toBe(aerospike.status.ERR_UDF)
  })

  it('scan.background() runs it on every record of the set', async () => {
    const bset = uniqueSet('udfbg')
    for (let i = 0; i < 30; i++) await client.put(new aerospike.Key(NS, bset, i), { v: i })
    const job = await client.scan(NS, bset).background(mod, 'bump', ['v', 100])
    await job.wait(20)
    const rs = await client.scan(NS, bset).results()
    expect(rs.map((r) => r.bins.v as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 100))
    await client.truncate(NS, bset, 0)
  })
})

