// The embedded server's own TLS, from JavaScript: startServer({ tls }) with certificates made by
// openssl as the test runs; this client connects with the official `tls` settings and hosts as
// addr:tlsname:port (every command kind, the columnar read included), mutual TLS with and without
// a client certificate, a login over TLS on a secured server, a plain client on the TLS port, and
// bad certificates refused by startServer.
import { describe, expect, it } from 'vitest'
import { loopSettled } from '../dist/dispatch'
import { aerospike, NS, uniqueSet } from './helpers'
import { tlsFixture } from './tls-fixture'

const { file, pem, server, client } = tlsFixture('server-tls')

/** The error `connect()` ends with (null when it connects). */
async function connectError(config: aerospike.ConfigOptions): Promise<unknown> {
  return aerospike.connect({ connTimeoutMs: 1000, ...config }).then(
    async (c) => {
      await c.close()
      return null
    },
    (e: unknown) => e,
  )
}

describe('startServer({ tls })', () => {
  it('serves TLS: put, get, operate, batch and the columnar read over TLS', async () => {
    const s = await server({ tls: { cert: pem('node.pem'), key: pem('node.key'), name: 'node.test' } })
    const c = await client({ hosts: `127.0.0.1:node.test:${s.port}`, tls: { cafile: file('ca.pem') } })
    const set = uniqueSet('tls')
    const keys = Array.from({ length: 20 }, (_, i) => new aerospike.Key(NS, set, i))
    for (const [i, k] of keys.entries()) await c.put(k, { n: i, s: `v${i}` })
    expect((await c.get(keys[3]!)).bins).toEqual({ n: 3, s: 'v3' })
    expect((await c.operate(keys[4]!, [aerospike.operations.incr('n', 10), aerospike.operations.read('n')])).bins.n).toBe(14)
    const rows = await c.batchRead(keys.map((key) => ({ key, readAllBins: true })))
    expect(rows.map((r) => r.record.bins.s)).toEqual(keys.map((_, i) => `v${i}`))
    const cols = await c.batchReadColumns(keys, { n: 'i64' })
    expect(Array.from(cols.columns.n)).toEqual(keys.map((_, i) => BigInt(i === 4 ? 14 : i)))
  })

  it('single-record commands over TLS run on the event loop, logged in, large records and bursts included', async () => {
    const s = await server({ tls: { cert: pem('node.pem'), key: pem('node.key') }, security: { users: [{ user: 'app', password: 'app-pw', roles: ['read-write'] }] } })
    // A generous timeout: a burst opens its connections (a TLS handshake each) while it runs.
    const policies = { read: { totalTimeout: 20_000 } }
    const c = await client({ hosts: `127.0.0.1:node.test:${s.port}`, tls: { cafile: file('ca.pem') }, user: 'app', password: 'app-pw', policies })
    const set = uniqueSet('tls-loop')
    const key = (i: number | string) => new aerospike.Key(NS, set, i)
    const onLoop = (n: number) => (process.env.AEROSPIKE_NAPI_PATH === 'tokio' ? 0 : n)
    for (let i = 0; i < 50; i++) await c.put(key(i), { n: i, s: `v${i}` })
    // One command at a time, once the first ones opened a connection: every one on the loop.
    let before = loopSettled()
    for (let i = 0; i < 100; i++) expect((await c.get(key(i % 50))).bins.s).toBe(`v${i % 50}`)
    expect(loopSettled() - before).toBe(onLoop(100))
    // A record of many TLS records (16 KiB each at most), written and read back whole on the loop.
    // (The session takes a large request's plaintext in parts, each sent before the next.)
    const big = `${'x'.repeat(100_000)}end`
    before = loopSettled()
    await c.put(key('big'), { big })
    expect((await c.get(key('big'))).bins.big).toBe(big)
    expect(loopSettled() - before).toBe(onLoop(2))
    // Bursts: as many on the loop as it has connections, the rest on Tokio, each its own answer.
    for (let round = 0; round < 2; round++) {
      const got = await Promise.all(Array.from({ length: 100 }, (_, i) => c.get(key(i % 50))))
      expect(got.map((r) => r.bins.s)).toEqual(Array.from({ length: 100 }, (_, i) => `v${i % 50}`))
    }
    const ops = [aerospike.operations.incr('n', 1), aerospike.operations.read('n')]
    expect((await c.operate(key(7), ops)).bins.n).toBe(8)
    await expect(c.get(key('missing'))).rejects.toMatchObject({ code: aerospike.status.ERR_RECORD_NOT_FOUND })
  })

  it('mutual TLS: a client certificate signed by the CA is let in; none, or one from another CA, is not', async () => {
    const s = await server({ tls: { cert: pem('node.pem'), key: pem('node.key'), ca: pem('ca.pem'), requireClientCert: true } })
    const hosts = `127.0.0.1:node.test:${s.port}`
    const cafile = file('ca.pem')
    const c = await client({ hosts, tls: { cafile, certfile: file('client.pem'), keyfile: file('client.key') } })
    await c.put(new aerospike.Key(NS, uniqueSet('mtls'), 1), { a: 1 })
    expect(await connectError({ hosts, tls: { cafile } })).toBeInstanceOf(aerospike.AerospikeError)
  })

  it('a server certificate from another CA, and a plain client on the TLS port, fail connect() cleanly', async () => {
    const s = await server({ tls: { cert: pem('node.pem').toString(), key: pem('node.key').toString() } })
    const t0 = Date.now()
    expect(await connectError({ hosts: `127.0.0.1:node.test:${s.port}`, tls: { cafile: file('other-ca.pem') } })).toBeInstanceOf(aerospike.AerospikeError)
    expect(await connectError({ hosts: `127.0.0.1:${s.port}` })).toBeInstanceOf(aerospike.AerospikeError)
    expect(Date.now() - t0).toBeLessThan(15_000)
    // The server still serves a good client afterwards.
    const c = await client({ hosts: `127.0.0.1:node.test:${s.port}`, tls: { cafile: file('ca.pem') } })
    await c.put(new aerospike.Key(NS, uniqueSet('tls'), 'after'), { ok: true })
  })

  it('a TLS client on a plain port fails connect() within its timeout; the port still serves plain clients', async () => {
    const s = await server({})
    const t0 = Date.now()
    expect(await connectError({ hosts: `127.0.0.1:node.test:${s.port}`, tls: { cafile: file('ca.pem') } })).toBeInstanceOf(aerospike.AerospikeError)
    expect(Date.now() - t0).toBeLessThan(15_000)
    const c = await client({ hosts: s.address })
    await c.put(new aerospike.Key(NS, uniqueSet('plain'), 1), { ok: true })
  })

  it('security over TLS: the login travels over TLS; a wrong password is still INVALID_PASSWORD', async () => {
    const s = await server({ tls: { cert: pem('node.pem'), key: pem('node.key') }, security: { users: [{ user: 'app', password: 'app-pw', roles: ['read-write'] }] } })
    const tls = { cafile: file('ca.pem') }
    const hosts = `127.0.0.1:node.test:${s.port}`
    const c = await client({ hosts, tls, user: 'app', password: 'app-pw' })
    const k = new aerospike.Key(NS, uniqueSet('tls-sec'), 1)
    await c.put(k, { a: 1 })
    expect((await c.get(k)).bins).toEqual({ a: 1 })
    const e = await connectError({ hosts, tls, user: 'app', password: 'wrong' })
    expect(e).toBeInstanceOf(aerospike.AerospikeError)
    expect((e as aerospike.AerospikeError).code).toBe(aerospike.status.INVALID_PASSWORD)
  })

  it('PKI login: the user is the client certificate\'s common name, no password sent', async () => {
    const tls = { cert: pem('node.pem'), key: pem('node.key'), ca: pem('ca.pem'), requireClientCert: true }
    const clientTls = { cafile: file('ca.pem'), certfile: file('client.pem'), keyfile: file('client.key') }
    // The client certificate's CN is `app`.
    const s = await server({ tls, security: { users: [{ user: 'app', password: 'unused', roles: ['read-write'] }] } })
    const hosts = `127.0.0.1:node.test:${s.port}`
    const c = await client({ hosts, tls: clientTls, authMode: aerospike.auth.AUTH_PKI })
    const k = new aerospike.Key(NS, uniqueSet('pki'), 1)
    await c.put(k, { a: 1 })
    expect((await c.get(k)).bins).toEqual({ a: 1 })
    // A server that has no user of that name refuses the login.
    const other = await server({ tls, security: { users: [{ user: 'someone', password: 'pw', roles: ['read-write'] }] } })
    const e = await connectError({ hosts: `127.0.0.1:node.test:${other.port}`, tls: clientTls, authMode: aerospike.auth.AUTH_PKI })
    expect(e).toBeInstanceOf(aerospike.AerospikeError)
    expect((e as aerospike.AerospikeError).code).toBe(aerospike.status.INVALID_USER)
  })

  it('refuses what it cannot serve: bad PEM is ERR_PARAM, wrong types are TypeErrors', async () => {
    const bad = await server({ tls: { cert: 'not a certificate', key: pem('node.key') } }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(bad).toBeInstanceOf(aerospike.AerospikeError)
    expect((bad as aerospike.AerospikeError).code).toBe(aerospike.status.ERR_PARAM)
    const wrong = [{ cert: 1, key: 'k' }, { cert: 'c' }, { cert: 'c', key: 'k', requireClientCert: 'yes' }, 'tls']
    for (const tls of wrong) await expect(aerospike.startServer({ tls } as never)).rejects.toThrow(TypeError)
  })
})
