import { spawnSync } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { aerospike, connectClient, connectedClient, expectCode, hosts, NS, uniqueSet } from './helpers'

const { Key, status, AerospikeError } = aerospike

describe('errors and bad input', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })

  it('status table matches the official client', async () => {
    const { createRequire } = await import('node:module')
    const official = createRequire(import.meta.url)('aerospike')
    for (const [name, code] of aerospike.STATUS_TABLE) {
      expect([name, official.status[name]]).toEqual([name, code])
    }
    expect(status.getMessage(2)).toMatch(/not exist/)
  })

  it('AerospikeError carries code, inDoubt and isServerError()', () => {
    const e = new AerospikeError('x', 2)
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('AerospikeError')
    expect(e.isServerError()).toBe(true)
    expect(new AerospikeError('y', status.ERR_CLIENT).isServerError()).toBe(false)
  })

  it.each([
    ['negative totalTimeout', { totalTimeout: -1 }, /totalTimeout/],
    ['NaN socketTimeout', { socketTimeout: NaN }, /socketTimeout/],
    ['fractional maxRetries', { maxRetries: 1.5 }, /maxRetries/],
    ['string timeout', { totalTimeout: '10' }, /totalTimeout/],
    ['unknown exists', { exists: 9 }, /exists/],
    ['unknown replica', { replica: 42 }, /replica/],
    ['policy not an object', 'fast', /policy/],
  ])('rejects a bad policy (%s) with a TypeError', async (_n, pol, msg) => {
    const k = new Key(NS, uniqueSet(), 'k')
    await expect(client.put(k, { a: 1 }, null, pol as never)).rejects.toThrow(msg)
    // Read commands check the fields a read policy has.
    if (typeof pol !== 'object' || !('exists' in pol)) await expect(client.get(k, pol as never)).rejects.toThrow(TypeError)
  })

  it.each([
    [{ ttl: -4 }, /ttl/],
    [{ ttl: 1.5 }, /ttl/],
    [{ ttl: NaN }, /ttl/],
    [{ gen: -1 }, /gen/],
  ])('rejects bad metadata %j', async (meta, msg) => {
    await expect(client.put(new Key(NS, uniqueSet(), 'k'), { a: 1 }, meta as never)).rejects.toThrow(msg)
  })

  it('rejects wrong argument types with TypeError', async () => {
    await expect(client.get('not a key' as never)).rejects.toThrow(TypeError)
    await expect(client.get(null as never)).rejects.toThrow(TypeError)
    await expect(client.select(new Key(NS, 's', 'k'), 'a' as never)).rejects.toThrow(TypeError)
    await expect(client.truncate(1 as never, null)).rejects.toThrow(TypeError)
  })

  it('a server-side TTL above ten years is a parameter error (4)', async () => {
    await expectCode(client.put(new Key(NS, uniqueSet(), 'k'), { a: 1 }, { ttl: 20 * 365 * 86400 }), status.ERR_REQUEST_INVALID)
  })

  it('an unknown namespace is reported by the server', async () => {
    const e = await client.put(new Key('nosuchns', 's', 'k'), { a: 1 }).then(
      () => null,
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(AerospikeError)
    expect([status.ERR_NAMESPACE_NOT_FOUND, status.ERR_INVALID_NODE, status.ERR_CLIENT]).toContain((e as InstanceType<typeof AerospikeError>).code)
  })

  it('commands on a closed client reject with ERR_CLIENT; close is idempotent', async () => {
    const c = await connectClient()
    expect(c.isConnected()).toBe(true)
    await c.close()
    await c.close()
    expect(c.isConnected()).toBe(false)
    await expectCode(c.get(new Key(NS, 's', 'k')), status.ERR_CLIENT)
    await expectCode(c.put(new Key(NS, 's', 'k'), { a: 1 }), status.ERR_CLIENT)
    // As the official client words it, and through a callback too (with the key, as for any failed get).
    const k = new Key(NS, 's', 'k')
    const viaCallback = await new Promise<unknown[]>((resolve) => c.get(k, (e, r) => resolve([e?.message, e?.code, r?.key])))
    expect(viaCallback).toEqual(['Not connected.', status.ERR_CLIENT, k])
  })

  it('new policy fields and query arguments check their input', async () => {
    const c = await connectClient()
    try {
      const k = new Key(NS, uniqueSet(), 'k')
      for (const bad of [101, -2, 1.5, '80']) {
        await expect(c.get(k, { readTouchTtlPercent: bad } as never)).rejects.toThrow(TypeError)
      }
      await expectCode(c.get(k, { connectTimeout: 'x' } as never), status.ERR_PARAM)
      expect(() => c.query(NS, 's').whereWithIndexName(aerospike.filter.range(null as never, 1, 2), '')).toThrow(TypeError)
      expect(() => c.query(NS, 's').whereWithIndexName(aerospike.filter.range(null as never, 1, 2), 5 as never)).toThrow(TypeError)
    } finally {
      await c.close()
    }
  })

  /** What connecting to `hostSpec` (300 ms connect timeout) rejects with. */
  const connectError = (hostSpec: string): Promise<unknown> =>
    aerospike.connect({ hosts: hostSpec, connTimeoutMs: 300 })!.then(
      () => null,
      (e: unknown) => e,
    )
  /** Connecting to the local `port` fails with an AerospikeError within 5 s. */
  const expectConnectFailsQuickly = async (port: number): Promise<void> => {
    const t0 = Date.now()
    expect(await connectError(`127.0.0.1:${port}`)).toBeInstanceOf(AerospikeError)
    expect(Date.now() - t0).toBeLessThan(5000)
  }
  /** Starts `srv` on a free local port; resolves with the port. */
  const listenLocal = async (srv: net.Server): Promise<number> => {
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
    return (srv.address() as net.AddressInfo).port
  }
  const closeServer = (srv: net.Server) => new Promise<void>((r) => srv.close(() => r()))

  it('an unreachable host rejects connect with an AerospikeError, quickly', async () => {
    const srv = net.createServer()
    const port = await listenLocal(srv)
    await closeServer(srv)
    await expectConnectFailsQuickly(port)
  })

  it('a refused connect says "Failed to connect", port 0 included, as the official client', async () => {
    const err = await connectError('127.0.0.1:0')
    expect(err).toBeInstanceOf(AerospikeError)
    expect((err as Error).message).toMatch(/^Failed to connect to host\(s\): 127\.0\.0\.1:0/)
  })

  it('Config leaves out values of the wrong type, as the official Config does', () => {
    const c = new aerospike.Config({ maxErrorRate: 'a', errorRateWindow: 1.5, user: 5, port: 'x', connTimeoutMs: 250 } as never)
    expect([c.maxErrorRate, c.errorRateWindow, c.user, c.port, c.connTimeoutMs]).toEqual([undefined, undefined, undefined, 3000, 250])
  })

  it('maxConnsPerNode 0 connects, and commands fail with ERR_NO_MORE_CONNECTIONS, as the official client', async () => {
    const c = (await aerospike.connect({ hosts, maxConnsPerNode: 0 })) as aerospike.Client
    try {
      await expectCode(c.get(new aerospike.Key('test', 'mc0', 1), { totalTimeout: 200 }), aerospike.status.ERR_NO_MORE_CONNECTIONS)
      expect(c.isConnected(false)).toBe(true)
    } finally {
      await c.close()
    }
    expect(c.isConnected()).toBe(false)
  })

  it('a host that accepts but never answers times out instead of hanging', async () => {
    const sockets: net.Socket[] = []
    const srv = net.createServer((s) => sockets.push(s))
    const port = await listenLocal(srv)
    await expectConnectFailsQuickly(port)
    for (const s of sockets) s.destroy()
    await closeServer(srv)
  })

  it.each([
    ['hosts number', { hosts: 5 }],
    ['hosts empty', { hosts: '' }],
    ['bad port', { hosts: [{ addr: 'h', port: 70000 }] }],
    ['bad tuple', { hosts: [['h', 'x']] }],
    ['maxConnsPerNode -1', { maxConnsPerNode: -1 }],
    ['user without password', { user: 'u' }],
    ['negative maxSocketIdle', { maxSocketIdle: -1 }],
  ])('connect rejects a bad config (%s) with TypeError', async (_n, cfg) => {
    await expect(aerospike.connect(cfg as never)!).rejects.toThrow(TypeError)
  })

  it('accepts hosts as a string, {addr, port} objects and [host, port] tuples', async () => {
    const [h, p] = hosts.split(':')
    for (const form of [hosts, [{ addr: h, port: Number(p) }], [[h, Number(p)]]]) {
      const c = (await aerospike.connect({ hosts: form as never })) as aerospike.Client
      expect(c.isConnected()).toBe(true)
      await c.close()
    }
    const viaFactory = (await aerospike.client({ hosts }).connect()) as aerospike.Client
    expect(viaFactory.isConnected()).toBe(true)
    await viaFactory.close()
  })

  it('a Rust panic becomes a JavaScript error, and the process keeps working', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const native = require('../native.js')
    await expect(native.debugPanic('boom')).rejects.toThrow(/panic.*boom/)
    expect(() => native.debugPanicSync('boom')).toThrow(/panic.*boom/)
    await expect(native.debugPanic('')).resolves.toBeUndefined()
    const k = new Key(NS, uniqueSet(), 'after-panic')
    await client.put(k, { a: 1 })
    expect(await client.exists(k)).toBe(true)
  })

  it('a native error crosses as fields (code, inDoubt, message) and becomes an AerospikeError with them', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const native = require('../native.js')
    const { AerospikeError, fromNative, nativeErrorFields } = await import('../src/errors')
    const raised: Error = await native.debugPanic('say "hi"\n\u0001').then(
      () => null,
      (e: Error) => e,
    )
    // The fields are properties of the error object itself, not text to parse.
    expect(raised).toMatchObject({ code: -1, inDoubt: false, message: 'internal error (Rust panic): say "hi"\n\u0001' })
    expect(nativeErrorFields(raised)).toEqual({ code: -1, inDoubt: false, message: 'internal error (Rust panic): say "hi"\n\u0001' })
    const err = fromNative(raised) as InstanceType<typeof AerospikeError>
    expect(err).toBeInstanceOf(AerospikeError)
    expect(err.code).toBe(-1)
    expect(err.inDoubt).toBe(false)
    expect(err.message).toBe('internal error (Rust panic): say "hi"\n\u0001')
    expect(err.cause).toBe(raised)
    // A synchronous call throws the same structured error.
    let thrown: unknown
    try {
      native.debugPanicSync('sync')
    } catch (e) {
      thrown = e
    }
    expect(nativeErrorFields(thrown)).toEqual({ code: -1, inDoubt: false, message: 'internal error (Rust panic): sync' })
    // A server status without a message of its own reads as the status's message.
    const status = fromNative(await native.debugFail(2, true, '127.0.0.1:3000 AEROSPIKE_STATUS').catch((e: Error) => e))
    expect(status).toMatchObject({ code: 2, inDoubt: true })
    expect(status.message).toMatch(/^127\.0\.0\.1:3000 Record does not exist/)
    // Anything else is a client error carrying the text: a message is never read for fields.
    expect(fromNative(new Error('{"code":2,"inDoubt":true,"message":"x"}'))).toMatchObject({ code: -1, inDoubt: false, message: '{"code":2,"inDoubt":true,"message":"x"}' })
  })

  it('any message text crosses exactly and cannot change the code: quotes, JSON, control characters, non-ASCII', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const native = require('../native.js')
    const { fromNative } = await import('../src/errors')
    const texts = [
      '{"code":2,"inDoubt":true,"message":"spoofed"}',
      '{"code": 0}',
      'quote " backslash \\ newline \n tab \t nul \u0000 bell \u0007 \u001f',
      '"}, "code": 2, "x": "',
      'ünïcødé ✓ 𝄞',
      '',
    ]
    for (const text of texts) {
      const raw: Error = await native.debugFail(22, false, text).catch((e: Error) => e)
      expect(raw).toMatchObject({ code: 22, inDoubt: false, message: text })
      const err = fromNative(raw) as aerospike.AerospikeError
      expect(err.code).toBe(22)
      expect(err.inDoubt).toBe(false)
      // An empty message reads as the status's own.
      expect(err.message).toBe(text || status.getMessage(22))
    }
    const inDoubt = fromNative(await native.debugFail(9, true, '{"inDoubt":false}').catch((e: Error) => e)) as aerospike.AerospikeError
    expect(inDoubt).toMatchObject({ code: 9, inDoubt: true, message: '{"inDoubt":false}' })
  })

  it('a server message that looks like an error object keeps the server code (UDF error text, through the binding)', async () => {
    const set = uniqueSet()
    const k = new Key(NS, set, 'spoof')
    await client.put(k, { a: 1 })
    const module = `spoof_${set}`
    const lua = 'function fail(rec)\n  error(\'{"code":2,"inDoubt":true,"message":"spoofed"}\')\nend\n'
    const job = await client.udfRegister(Buffer.from(lua), module)
    await job.wait(10)
    try {
      const err = (await client.apply(k, { module, funcname: 'fail', args: [] }).catch((e: unknown) => e)) as aerospike.AerospikeError
      expect(err).toBeInstanceOf(aerospike.AerospikeError)
      expect(err.code).toBe(status.ERR_UDF)
      expect(err.message).toContain('{"code":2,"inDoubt":true,"message":"spoofed"}')
    } finally {
      await (await client.udfRemove(module)).wait(10)
    }
  })

  it('config.policies supply per-command defaults, overridden per call', async () => {
    const c = await connectClient({ policies: { write: { exists: aerospike.policy.exists.CREATE }, read: { totalTimeout: 2000 } } })
    const k = new Key(NS, uniqueSet(), 'p')
    await c.put(k, { a: 1 })
    await expectCode(c.put(k, { a: 2 }), status.ERR_RECORD_EXISTS)
    await c.put(k, { a: 3 }, null, { exists: aerospike.policy.exists.IGNORE })
    expect(((await c.get(k)) as aerospike.AerospikeRecord).bins).toEqual({ a: 3 })
    await c.close()
    await expect(aerospike.connect({ hosts, policies: { read: { totalTimeout: -5 } } }).then((cc) => cc.get(k))).rejects.toThrow(/totalTimeout/)
  })

  it('falls back to AEROSPIKE_HOSTS when no hosts are configured', async () => {
    const saved = process.env.AEROSPIKE_HOSTS
    process.env.AEROSPIKE_HOSTS = hosts
    try {
      const c = (await aerospike.connect({})) as aerospike.Client
      expect(c.isConnected()).toBe(true)
      await c.close()
    } finally {
      if (saved === undefined) delete process.env.AEROSPIKE_HOSTS
      else process.env.AEROSPIKE_HOSTS = saved
    }
  })

  it('the process exits on its own after close() (no lingering handles)', () => {
    const script = `
      const a = require(${JSON.stringify(path.resolve(__dirname, '..', 'index.js'))});
      (async () => {
        const s = await a.startServer();
        const c = await a.connect({ hosts: s.address, minConnsPerNode: 2 });
        await c.put(new a.Key('test', 'exit', 1), { a: 1 });
        await c.close();
        await s.stop();
        console.log('done');
      })();`
    const t0 = Date.now()
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15000 })
    expect(r.stdout.trim()).toBe('done')
    expect(r.status).toBe(0)
    expect(Date.now() - t0).toBeLessThan(10000)
  })

  it('a running embedded server does not keep the process alive', () => {
    const script = `require(${JSON.stringify(path.resolve(__dirname, '..', 'index.js'))}).startServer().then(s => console.log('up', s.port))`
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15000 })
    expect(r.stdout).toMatch(/^up \d+/)
    expect(r.status).toBe(0)
  })
})
