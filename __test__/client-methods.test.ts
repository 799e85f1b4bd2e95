// Smaller Client methods of the official API: base64 forms of expressions and contexts,
// setXDRFilter, seed hosts, updateLogging, the createExp…Index shortcuts, captureStackTraces.
import { describe, expect, it } from 'vitest'
import { aerospike, communityServer, connectedClient, expectCode, serverFrom81, hosts, NS, uniqueSet } from './helpers'

const { exp, cdt, lists, maps } = aerospike
const community = await communityServer()
const from81 = await serverFrom81()

describe('client methods', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })

  describe('expressionToBase64', () => {
    it('gives the packed expression (the same bytes as the official client)', () => {
      expect(client.expressionToBase64(exp.eq(exp.binInt('bin1'), exp.int(6)))).toBe('kwGTUQKkYmluMQY=')
      expect(client.expressionToBase64(exp.eq(exp.int(2), exp.int(1)))).toBe('kwECAQ==')
    })
    it('its result works as a filter expression', async () => {
      const key = new aerospike.Key(NS, uniqueSet('b64'), 'k')
      await client.put(key, { i: 2 })
      const f = client.expressionToBase64(exp.eq(exp.binInt('i'), exp.int(2)))
      expect((await client.get(key, { filterExpression: f } as never)).bins).toEqual({ i: 2 })
    })
    it('refuses anything but an expression', () => {
      expect(() => client.expressionToBase64(10 as never)).toThrow(new TypeError('Expression must be an array'))
    })
  })

  describe('contextToBase64 / contextFromBase64', () => {
    const contexts = {
      listIndex: new cdt.Context().addListIndex(5),
      listIndexCreate: new cdt.Context().addListIndexCreate(45, lists.order.ORDERED, true),
      listRank: new cdt.Context().addListRank(-1),
      listValue: new cdt.Context().addListValue('apple'),
      mapIndex: new cdt.Context().addMapIndex(10),
      mapKeyCreate: new cdt.Context().addMapKeyCreate('nested', maps.order.KEY_ORDERED),
      mapValue: new cdt.Context().addMapValue(1000),
      deep: new cdt.Context().addMapKey('a').addListIndex(-300).addMapValue(Buffer.from([1, 2])).addListValue(2 ** 40).addMapKey(1.5),
      bigint: new cdt.Context().addListValue(2n ** 62n),
      empty: new cdt.Context(),
    }
    for (const [name, ctx] of Object.entries(contexts)) {
      it(`round-trips ${name}`, () => {
        const s = client.contextToBase64(ctx)
        expect(typeof s).toBe('string')
        expect(client.contextFromBase64(s)).toEqual(ctx)
        expect(client.contextFromBase64(s)).toBeInstanceOf(cdt.Context)
      })
    }
    it('the decoded context works in an operation', async () => {
      const key = new aerospike.Key(NS, uniqueSet('ctx'), 'k')
      await client.put(key, { m: { food: { fruit: 'blueberry' } } })
      const ctx = client.contextFromBase64(client.contextToBase64(new cdt.Context().addMapKey('food')))
      const rec = await client.operate(key, [maps.getByKey('m', 'fruit', maps.returnType.VALUE).withContext(ctx)])
      expect(rec.bins.m).toBe('blueberry')
    })
    it('refuses bad input', () => {
      expect(() => client.contextToBase64('x' as never)).toThrow(TypeError)
      expect(() => client.contextFromBase64(45 as never)).toThrow(TypeError)
      expect(() => client.contextFromBase64('AAAA')).toThrow(TypeError)
      expect(() => client.contextFromBase64(Buffer.from([0x92, 0x10]).toString('base64'))).toThrow(TypeError)
    })
  })

  describe('setXDRFilter', () => {
    it('sends xdr-set-filter; a server without XDR refuses it with its code', async () => {
      // Without the DC: PARAMETER_ERROR (4); Community Edition has no XDR: ENTERPRISE_ONLY (25).
      const refused = community ? 25 : 4
      const e = await expectCode(client.setXDRFilter(exp.eq(exp.binInt('bin1'), exp.int(6)), 'dc2', 'test'), refused)
      expect(e.message).toMatch(/setXDRFilter/)
      await expectCode(client.setXDRFilter(null, 'dc2', 'test'), refused)
      const [err] = await new Promise<unknown[]>((r) => client.setXDRFilter('kwECAQ==', 'dc2', 'test', (x) => r([x])))
      expect((err as aerospike.AerospikeError).code).toBe(refused)
    })
    it('refuses a bad expression or names', async () => {
      const e = await expectCode(client.setXDRFilter(5 as never, 'dc2', 'test'), aerospike.status.ERR_PARAM)
      expect(e.message).toBe('Invalid filter expression value')
      await expectCode(client.setXDRFilter(null, 'dc;2', 'test'), aerospike.status.ERR_PARAM)
      await expectCode(client.setXDRFilter(null, 'dc2', 7 as never), aerospike.status.ERR_PARAM)
    })
  })

  describe('seed hosts', () => {
    it('addSeedHost/removeSeedHost change the seeds of the next connect', async () => {
      const c = aerospike.client({ hosts: 'nowhere.invalid:3000' })
      c.addSeedHost(hosts.split(':')[0]!, Number(hosts.split(':')[1]))
      expect(String(c.config.hosts)).toContain(hosts)
      await c.connect()
      expect(c.isConnected()).toBe(true)
      await c.close()
      c.removeSeedHost(hosts.split(':')[0]!, Number(hosts.split(':')[1]))
      expect(String(c.config.hosts)).toBe('nowhere.invalid:3000')
      c.removeSeedHost('nowhere.invalid') // the last seed stays
      expect(String(c.config.hosts)).toBe('nowhere.invalid:3000')
      expect(() => c.addSeedHost(5 as never)).toThrow(TypeError)
      expect(() => c.addSeedHost('h', 70000)).toThrow(TypeError)
    })
  })

  it('updateLogging takes a log config and refuses a bad one', () => {
    expect(() => client.updateLogging({ level: aerospike.log.OFF })).not.toThrow()
    expect(() => client.updateLogging({ level: 99 })).toThrow(TypeError)
  })

  // Expression indexes came with server 8.1 (an older server answers "missing 'indexdata'").
  describe.skipIf(!from81)('createExp…Index', () => {
    const set = uniqueSet('expidx')
    const cases: Array<[string, (o: any, cb?: any) => Promise<unknown>, unknown]> = [
      ['createExpIntegerIndex', (o, cb) => client.createExpIntegerIndex(o, null, cb), exp.binInt('i')],
      ['createExpStringIndex', (o, cb) => client.createExpStringIndex(o, cb), exp.binStr('s')],
      ['createExpBlobIndex', (o, cb) => client.createExpBlobIndex(o, undefined, cb), exp.binBlob('b')],
      ['createExpGeo2DSphereIndex', (o, cb) => client.createExpGeo2DSphereIndex(o, cb), exp.binGeo('g')],
    ]
    for (const [name, create, e] of cases) {
      it(`${name} creates an index on the expression (promise and callback)`, async () => {
        const index = `${name}_${set}`.slice(0, 60)
        const job = (await create({ ns: NS, set, index, exp: e })) as aerospike.IndexJob
        expect(job).toBeInstanceOf(aerospike.IndexJob)
        await client.indexRemove(NS, index)
        const err = await new Promise((r) => create({ ns: NS, set, index: `${index}b`, exp: e }, (x: unknown) => r(x)))
        expect(err).toBeNull()
        await client.indexRemove(NS, `${index}b`)
      })
    }
    it('refuses missing options', async () => {
      await expect(client.createExpIntegerIndex(null as never)).rejects.toThrow(TypeError)
    })
  })

  describe('captureStackTraces', () => {
    it('is off by default and, when on, adds the call site to errors', async () => {
      expect(client.captureStackTraces).toBe(!!process.env.AEROSPIKE_DEBUG_STACKTRACES)
      const key = new aerospike.Key(NS, uniqueSet('st'), 'missing')
      client.captureStackTraces = true
      try {
        const err = await new Promise<Error>((r) => client.get(key, (e) => r(e as Error)))
        expect(err.stack).toMatch(/Client\.get/)
        const e2 = await expectCode(client.get(key), 2)
        expect(e2.stack).toMatch(/Client\.get/)
      } finally {
        client.captureStackTraces = false
      }
      expect(Object.hasOwn(client, 'get')).toBe(false)
    })
  })
})
