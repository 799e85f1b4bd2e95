// Info commands to chosen nodes (getNodes, infoAll, infoNode, info(host)) and info.parse().
import { describe, expect, it } from 'vitest'
import { aerospike, connectedClient, expectCode, NS } from './helpers'

describe('info.parse()', () => {
  const { parse, separators } = aerospike.info

  it('splits lines into keys, values into lists and objects, numbers into numbers', () => {
    expect(parse('build\t8.0.0.1\nnode\tBB9\nversion\t7\n')).toEqual({ build: '8.0.0.1', node: 'BB9', version: 7 })
    expect(parse('statistics\tobjects=12;uptime=99;mode=fast\n').statistics).toEqual({ objects: 12, uptime: 99, mode: 'fast' })
    expect(parse('features\tgeo;double;pipelining').features).toEqual(['geo', 'double', 'pipelining'])
    expect(parse('')).toEqual({})
    expect(parse('nothing\n')).toEqual({ nothing: undefined })
  })

  it('picks the separators by key pattern', () => {
    const set = parse('sets/test/s1\tobjects=3:tombstones=0:truncate_lut=0:index_populating=false;')['sets/test/s1']
    expect(set).toEqual({ objects: 3, tombstones: 0, truncate_lut: 0, index_populating: 'false' })
    const udfs = parse('udf-list\tfilename=a.lua,hash=ab12,type=LUA;filename=b.lua,hash=cd34,type=LUA;')['udf-list']
    expect(udfs).toEqual([
      { filename: 'a.lua', hash: 'ab12', type: 'LUA' },
      { filename: 'b.lua', hash: 'cd34', type: 'LUA' },
    ])
    expect(parse('udf-list\t')['udf-list']).toEqual([])
    expect(parse('bins\tbar:bin_names=1,bin_names_quota=65535,x;').bins).toEqual({ bar: { names: ['x'], stats: { bin_names: 1, bin_names_quota: 65535 } } })
  })

  it('leaves a value whole for a key with no separators', () => {
    separators['napi-test-raw'] = []
    try {
      expect(parse('napi-test-raw\tx=1;y=2\n')['napi-test-raw']).toBe('x=1;y=2')
    } finally {
      delete separators['napi-test-raw']
    }
  })

  it('refuses a non-string', () => {
    expect(() => parse(42 as never)).toThrow(TypeError)
  })
})

describe('info to chosen nodes', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })

  it('getNodes lists every node with its name and address', () => {
    const nodes = client.getNodes()
    expect(nodes.length).toBeGreaterThan(0)
    for (const n of nodes) {
      expect(typeof n.name).toBe('string')
      expect(n.address).toMatch(/:\d+$/)
    }
  })

  it('infoAll answers once per node, naming the node', async () => {
    const replies = await client.infoAll('node\nbuild')
    expect(replies.map((r) => r.host.node_id).sort()).toEqual(client.getNodes().map((n) => n.name).sort())
    for (const r of replies) expect(aerospike.info.parse(r.info).node).toBe(r.host.node_id)
  })

  it('infoNode and info(host) reach the node asked for, with callbacks too', async () => {
    const node = client.getNodes()[0]!
    expect(aerospike.info.parse(await client.infoNode('node', node)).node).toBe(node.name)
    const viaHost = await client.info('node', node.address)
    expect(aerospike.info.parse(viaHost).node).toBe(node.name)
    const viaCallback = await new Promise<string>((resolve, reject) => client.infoNode('node', node, null, (e, r) => (e ? reject(e) : resolve(r!))))
    expect(viaCallback).toBe(`node\t${node.name}\n`)
    const ns = aerospike.info.parse(await client.infoAny(`namespace/${NS}`))
    expect(typeof ns[`namespace/${NS}`]).toBe('object')
  })

  it('an empty request answers with the server summary (node, edition, build, version, …), as the official client', async () => {
    const node = client.getNodes()[0]!
    for (const reply of [await client.info(null, node.address), await client.infoNode('', node), await client.infoAny()]) {
      const parsed = aerospike.info.parse(reply)
      expect(parsed.node).toBe(node.name)
      expect(Object.keys(parsed)).toEqual(expect.arrayContaining(['node', 'edition', 'build', 'version', 'features']))
      expect(reply).toContain('\nversion\t')
    }
  })

  it('a node that is not in the cluster is ERR_INVALID_NODE; bad arguments are TypeErrors', async () => {
    await expectCode(client.infoNode('node', { name: 'NO-SUCH-NODE' }), aerospike.status.ERR_INVALID_NODE)
    await expect(client.infoNode('node', 'x' as never)).rejects.toThrow(TypeError)
    await expect(client.infoAll(7 as never)).rejects.toThrow(TypeError)
  })
})
