// Path expressions and path operations (server 8.1+): the packed expressions against the official
// client's C core byte for byte, the flat path context of the operations against its
// contextToBase64, the flag constants, and bad input as the official client reports it (builder
// TypeErrors, or "Operations array invalid" from the command). Our embedded server does not
// execute path expressions: it must refuse them promptly with a request error.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
// The package as built (dist/), like `aerospike` in helpers: one AerospikeExp class for both.
import { packPathContext } from '../dist/exp/path'
import { aerospike, embedded, expectCode, recordFixture } from './helpers'

const { exp, status, operations: op } = aerospike
const official = createRequire(import.meta.url)('aerospike')
const oc = official.client({ hosts: '127.0.0.1:1' })

type Module = typeof aerospike
const hex = (e: aerospike.AerospikeExp) => Buffer.from(e.toBase64(), 'base64').toString('hex')
const theirHex = (e: unknown) => Buffer.from(oc.expressionToBase64(e), 'base64').toString('hex')

/** The same expressions built with either module (ours, or the official one). */
function cases(m: Module): Record<string, unknown> {
  const e = m.exp
  const Ctx = m.cdt.Context
  const all = () => new Ctx().addAllChildren()
  return {
    selectValues: e.selectByPath(e.binList('floatList'), e.type.LIST, e.pathSelectFlags.VALUE, all()),
    selectTree: e.selectByPath(e.binMap('floatMap'), e.type.MAP, e.pathSelectFlags.MATCHING_TREE | e.pathSelectFlags.NO_FAIL, all()),
    selectTwice: e.selectByPath(e.binList('n'), e.type.LIST, e.pathSelectFlags.VALUE, all().addAllChildren()),
    selectNested: e.selectByPath(e.binList('dn'), e.type.LIST, e.pathSelectFlags.LIST_VALUE, new Ctx().addListIndex(0).addAllChildren()),
    selectFiltered: e.selectByPath(
      e.binList('dn'),
      e.type.LIST,
      e.pathSelectFlags.VALUE,
      new Ctx().addListIndex(-1).addAllChildrenWithFilter(e.gt(e.loopVarFloat(e.loopVarPart.VALUE), e.float(3.5))),
    ),
    selectKeysIn: e.selectByPath(
      e.binMap('m'),
      e.type.LIST,
      e.pathSelectFlags.MAP_KEY_VALUE,
      new Ctx().addMapKey('book').addMapKeysIn(['a', 'c', 7]).addAndFilter(e.eq(e.loopVarStr(e.loopVarPart.KEY), e.str('a'))),
    ),
    selectMapKeys: e.selectByPath(e.binMap('m'), e.type.LIST, e.pathSelectFlags.MAP_KEY, new Ctx().addMapRank(-1).addAllChildren()),
    modifyConst: e.modifyByPath(e.binMap('floatMap'), e.type.MAP, e.float(14.0), e.pathModifyFlags.DEFAULT, all()),
    modifyNoFail: e.modifyByPath(e.binList('l'), e.type.LIST, e.int(1), e.pathModifyFlags.NO_FAIL, all()),
    modifyLoopVar: e.modifyByPath(e.binList('l'), e.type.LIST, e.mul(e.loopVarFloat(e.loopVarPart.VALUE), e.float(3.7)), 0, all().addAllChildren()),
    modifyRemove: e.modifyByPath(e.binMap('c'), e.type.MAP, e.removeResult(), 0, new Ctx().addMapKey('book').addAllChildren().addMapKey('price')),
    modifyCond: e.modifyByPath(
      e.binList('l'),
      e.type.LIST,
      e.cond(e.eq(e.loopVarInt(e.loopVarPart.INDEX), e.int(1)), e.bool(true), e.bool(false)),
      0,
      all(),
    ),
    loopVars: e.and(
      e.eq(e.loopVarBool(1), e.loopVarBool(1)),
      e.eq(e.loopVarInt(2), e.loopVarInt(0)),
      e.eq(e.loopVarFloat(1), e.loopVarFloat(1)),
      e.eq(e.loopVarStr(0), e.loopVarStr(1)),
      e.eq(e.loopVarBlob(1), e.loopVarBlob(1)),
      e.eq(e.loopVarList(1), e.loopVarList(1)),
      e.eq(e.loopVarMap(1), e.loopVarMap(1)),
      e.eq(e.loopVarGeoJSON(1), e.loopVarGeoJSON(1)),
      e.eq(e.loopVarHLL(1), e.loopVarHLL(1)),
      e.eq(e.loopVarNil(1), e.loopVarNil(1)),
    ),
    // A path expression inside another one's filter, and in a read composed with other exps.
    nested: e.eq(
      e.selectByPath(
        e.binList('l'),
        e.type.LIST,
        1,
        new Ctx().addAllChildrenWithFilter(e.inList(e.loopVarInt(1), e.list([1, 2]))),
      ),
      e.list([1]),
    ),
  }
}

describe('path expressions: wire form', () => {
  it('match the official client (packed by its C core) byte for byte', () => {
    const ours = cases(aerospike)
    const theirs = cases(official)
    expect(Object.keys(ours).length).toBeGreaterThan(10)
    for (const [name, e] of Object.entries(ours)) {
      expect(hex(e as aerospike.AerospikeExp), name).toBe(theirHex(theirs[name]))
    }
  })

  it('path operations carry the path context packed as the official client packs it', () => {
    const make = (m: Module) =>
      new m.cdt.Context()
        .addListIndex(0)
        .addAllChildrenWithFilter(m.exp.eq(m.exp.loopVarInt(m.exp.loopVarPart.INDEX), m.exp.int(1)))
        .addMapKeysIn(['a', 1, Buffer.from('b')])
        .addAndFilter(m.exp.bool(true))
        .addAllChildren()
    const ctx = make(aerospike)
    expect(packPathContext(ctx, 'test').toString('hex')).toBe(Buffer.from(oc.contextToBase64(make(official)), 'base64').toString('hex'))
    const sel = op.selectByPath('bin', exp.pathSelectFlags.VALUE, ctx)
    expect(sel).toBeInstanceOf(op.Operation)
    expect(sel).toMatchObject({ op: 'selectByPath', bin: 'bin', ctx, flags: 1 })
    const mod = op.modifyByPath('bin', exp.float(1), exp.pathModifyFlags.NO_FAIL, ctx)
    expect(mod).toMatchObject({ op: 'modifyByPath', bin: 'bin', ctx, flags: 16 })
  })

  it('has the official constants, builders and context methods', () => {
    expect(exp.pathSelectFlags).toEqual(official.exp.pathSelectFlags)
    expect(exp.pathModifyFlags).toEqual(official.exp.pathModifyFlags)
    expect(exp.loopVarPart).toEqual(official.exp.loopVarPart)
    for (const name of Object.keys(official.exp).filter((k) => /^(loopVar|selectByPath|modifyByPath|path)/.test(k))) {
      expect(typeof (exp as Record<string, unknown>)[name], `exp.${name}`).toBe(typeof official.exp[name])
    }
    for (const name of Object.keys(official.operations)) {
      expect(typeof (op as Record<string, unknown>)[name], `operations.${name}`).toBe('function')
    }
    const Ctx = aerospike.cdt.Context
    const ctx = new Ctx().addMapKeysIn(['a']).addAndFilter(exp.bool(true)).addAllChildren().addAllChildrenWithFilter(exp.bool(false))
    // The item types the official client uses (EXP 4, MAP_KEYS_IN 0x2a, AND_EXP 0x204).
    expect(ctx.items.map(([t]) => t)).toEqual(new official.cdt.Context().addMapKeysIn(['a']).addAndFilter(official.exp.bool(true)).addAllChildren().addAllChildrenWithFilter(official.exp.bool(false)).items.map(([t]: [number]) => t))
  })
})

describe('path expressions: bad input', () => {
  const Ctx = aerospike.cdt.Context
  const all = new Ctx().addAllChildren()

  it('builders throw what the official ones throw', () => {
    const bin = exp.binList('l')
    expect(() => exp.selectByPath(2 as never, exp.type.LIST, 0, all)).toThrow(new TypeError('bin is not iterable'))
    expect(() => exp.selectByPath(bin, exp.type.LIST, 0, null as never)).toThrow(new TypeError('ctx must be a CDT Context'))
    expect(() => exp.selectByPath(bin, exp.type.LIST, 0, [] as never)).toThrow(new TypeError('ctx must be a CDT Context'))
    expect(() => exp.modifyByPath(2 as never, exp.type.LIST, exp.int(1), 0, all)).toThrow(new TypeError('bin is not iterable'))
    expect(() => exp.modifyByPath(bin, exp.type.LIST, exp.int(1), null as never, all)).toThrow(new TypeError('flags must be a number'))
    expect(() => exp.modifyByPath(bin, exp.type.LIST, exp.int(1), 0, undefined as never)).toThrow(new TypeError('ctx must be a CDT Context'))
    expect(() => op.selectByPath('l', 0, null as never)).toThrow(new TypeError('ctx must be a CDT Context'))
    expect(() => op.modifyByPath('l', exp.int(1), 0, {} as never)).toThrow(new TypeError('ctx must be a CDT Context'))
    expect(() => exp.loopVarInt('VALUE' as never)).toThrow(TypeError)
    expect(() => new Ctx().addMapKeysIn('a' as never)).toThrow(TypeError)
    expect(() => new Ctx().addAndFilter(1 as never)).toThrow(TypeError)
    expect(() => new Ctx().addAllChildrenWithFilter(null as never)).toThrow(TypeError)
  })

  it('an expression the official builders accept but cannot convert fails where it is used', () => {
    const bad = exp.selectByPath(exp.binList('l'), null as never, 0, all)
    expect(() => exp.and(bad, exp.bool(true))).toThrow(/valueType must be an exp.type/)
    expect(() => bad.toBase64()).not.toThrow()
    expect(() => exp.modifyByPath(exp.binList('l'), exp.type.LIST, null as never, 0, all)).not.toThrow()
  })

  describe('in commands', () => {
    const fx = recordFixture('path')
    const bins = { floatList: [2.4, 4.8, 7.2], floatMap: { a: 1.5, b: 3.0, c: 4.5 } }

    it('fail with ERR_PARAM "Operations array invalid", as in the official client', async () => {
      const k = await fx.record(bins)
      const bin = exp.binMap('floatMap')
      const badExps = [
        exp.selectByPath(bin, null as never, exp.pathSelectFlags.MATCHING_TREE, all),
        exp.selectByPath(bin, exp.type.LIST, null as never, all),
        exp.selectByPath(bin, exp.type.LIST, 'invalid' as never, all),
        exp.selectByPath([] as never, exp.type.LIST, 0, all),
        exp.modifyByPath(bin, null as never, exp.float(14), exp.pathModifyFlags.DEFAULT, all),
        exp.modifyByPath(bin, exp.type.LIST, null as never, exp.pathModifyFlags.DEFAULT, all),
        exp.modifyByPath(bin, exp.type.LIST, exp.float(14), 1.5, all),
      ]
      for (const e of badExps) {
        const err = await expectCode(fx.client.operate(k, [exp.operations.read('floatMap', e)]), status.ERR_PARAM)
        expect(err.message).toBe('Operations array invalid')
      }
      const badOps = [
        op.selectByPath(2 as never, exp.pathSelectFlags.MATCHING_TREE, all),
        op.selectByPath('floatMap', 'invalid' as never, all),
        op.modifyByPath(2 as never, exp.float(14), exp.pathModifyFlags.DEFAULT, all),
        op.modifyByPath('floatMap', null as never, exp.pathModifyFlags.DEFAULT, all),
        op.modifyByPath('floatMap', exp.float(14), null as never, all),
      ]
      for (const o of badOps) {
        const err = await expectCode(fx.client.operate(k, [o]), status.ERR_PARAM)
        expect(err.message).toBe('Operations array invalid')
      }
    })

    it.runIf(embedded)('reach the embedded server, which refuses path expressions with a request error', async () => {
      const k = await fx.record(bins)
      const select = exp.selectByPath(exp.binList('floatList'), exp.type.LIST, exp.pathSelectFlags.VALUE, all)
      const started = Date.now()
      await expectCode(fx.client.operate(k, [exp.operations.read('floatList', select)]), status.ERR_REQUEST_INVALID)
      const modify = exp.modifyByPath(exp.binList('floatList'), exp.type.LIST, exp.float(1), 0, all)
      await expectCode(fx.client.operate(k, [exp.operations.write('floatList', modify)]), status.ERR_REQUEST_INVALID)
      expect(Date.now() - started).toBeLessThan(5000)
      // The record is untouched.
      expect((await fx.client.get(k)).bins).toEqual(bins)
    })
  })
})
