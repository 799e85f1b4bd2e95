// batchReadColumns on its own wire path over TLS: the same columns as over plaintext, read by the
// direct path's own TLS connections (not the crate's batch), with mutual TLS, a login over TLS
// and a PKI login; and `tls.forLoginOnly` end to end: the login over TLS, the commands (the
// direct path's included) over the node's plaintext port, as the official clients do it.
import { describe, expect, it } from 'vitest'
import { aerospike, NS, uniqueSet } from './helpers'
import { busyRounds, tlsFixture } from './tls-fixture'

const { file, pem, server, client } = tlsFixture('columnar-tls', 3000)

/** [reads the direct path answered, of those over TLS] so far. */
function directReads(c: aerospike.Client): [number, number] {
  const [all, tls] = c._native!.columnarDirectReads()
  return [all!, tls!]
}

const SPEC = { n: 'i64', f: 'f64', s: 'i32', b: 'bool' } as const
const USERS = [{ user: 'app', password: 'app-pw', roles: ['read-write'] }]

/** Writes 40 records (one missing key, one bin of another type) and reads them as columns. */
async function roundTrip(c: aerospike.Client, set: string) {
  const keys = Array.from({ length: 40 }, (_, i) => new aerospike.Key(NS, set, i))
  for (const [i, k] of keys.entries()) {
    if (i === 7) continue
    await c.put(k, { n: i * 1000, f: i + 0.5, s: i === 9 ? 'text' : -i, b: i % 2 === 0 })
  }
  const cols = await c.batchReadColumns(keys, SPEC)
  return {
    status: Array.from(cols.status),
    n: Array.from(cols.columns.n),
    f: Array.from(cols.columns.f),
    s: Array.from(cols.columns.s),
    b: Array.from(cols.columns.b),
    valid: Object.fromEntries((Object.keys(SPEC) as (keyof typeof SPEC)[]).map((b) => [b, Array.from(cols.valid[b])])),
  }
}

describe('batchReadColumns over TLS on the direct path', () => {
  it('returns what it returns over plaintext, read by its own TLS connections', async () => {
    const plainServer = await server({})
    const plain = await client({ hosts: plainServer.address })
    const expected = await roundTrip(plain, uniqueSet('ctls'))
    expect(directReads(plain)).toEqual([1, 0])

    const s = await server({ tls: { cert: pem('node.pem'), key: pem('node.key'), name: 'node.test' } })
    const c = await client({ hosts: `127.0.0.1:node.test:${s.port}`, tls: { cafile: file('ca.pem') } })
    expect(await roundTrip(c, uniqueSet('ctls'))).toEqual(expected)
    expect(directReads(c)).toEqual([1, 1])
    // Its pooled TLS connections serve the next reads too.
    for (let i = 0; i < 3; i++) await c.batchReadColumns([new aerospike.Key(NS, 'none', i)], SPEC)
    expect(directReads(c)).toEqual([4, 4])
  })

  it('mutual TLS: the direct path presents the client certificate', async () => {
    const s = await server({ tls: { cert: pem('node.pem'), key: pem('node.key'), ca: pem('ca.pem'), requireClientCert: true } })
    const tls = { cafile: file('ca.pem'), certfile: file('client.pem'), keyfile: file('client.key') }
    const c = await client({ hosts: `127.0.0.1:node.test:${s.port}`, tls })
    const got = await roundTrip(c, uniqueSet('cmtls'))
    expect(got.n[3]).toBe(3000n)
    expect(got.status[7]).toBe(aerospike.status.ERR_RECORD_NOT_FOUND)
    expect(directReads(c)).toEqual([1, 1])
  })

  it('logs in over TLS, and a PKI login logs in as the certificate\'s common name', async () => {
    const tls = { cert: pem('node.pem'), key: pem('node.key'), ca: pem('ca.pem') }
    const s = await server({ tls, security: { users: USERS } })
    const hosts = `127.0.0.1:node.test:${s.port}`
    const c = await client({ hosts, tls: { cafile: file('ca.pem') }, user: 'app', password: 'app-pw' })
    expect((await roundTrip(c, uniqueSet('csec'))).f[5]).toBe(5.5)
    expect(directReads(c)).toEqual([1, 1])

    // The client certificate's CN is `app`.
    const clientTls = { cafile: file('ca.pem'), certfile: file('client.pem'), keyfile: file('client.key') }
    const pki = await client({ hosts, tls: clientTls, authMode: aerospike.auth.AUTH_PKI })
    expect((await roundTrip(pki, uniqueSet('cpki'))).b.slice(0, 3)).toEqual([1, 0, 1])
    expect(directReads(pki)).toEqual([1, 1])
  })

  it('a columnar scan runs on the direct path too, over TLS and logged in', async () => {
    const tls = { cert: pem('node.pem'), key: pem('node.key'), ca: pem('ca.pem') }
    const s = await server({ tls, security: { users: USERS } })
    const c = await client({ hosts: `127.0.0.1:node.test:${s.port}`, tls: { cafile: file('ca.pem') }, user: 'app', password: 'app-pw' })
    const set = uniqueSet('cscan')
    for (let i = 0; i < 300; i++) await c.put(new aerospike.Key(NS, set, i), { n: i })
    const before = c._native!.columnarDirectScans()
    const seen: bigint[] = []
    for await (const batch of c.scan(NS, set).columns({ n: 'i64' }, { rows: 128 })) {
      expect(batch.columns.n.length).toBeLessThanOrEqual(128)
      seen.push(...Array.from(batch.columns.n as BigInt64Array))
    }
    expect(c._native!.columnarDirectScans()).toBe(before + 1)
    expect(seen.sort((a, b) => Number(a - b))).toEqual(Array.from({ length: 300 }, (_, i) => BigInt(i)))
  })

  it('a CA that did not sign the node fails connect() with the same error as every other command path', async () => {
    const s = await server({ tls: { cert: pem('node.pem'), key: pem('node.key') } })
    const e = await aerospike.connect({ hosts: `127.0.0.1:node.test:${s.port}`, connTimeoutMs: 1000, tls: { cafile: file('other-ca.pem') } }).then(
      async (c) => {
        await c.close()
        return null
      },
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(aerospike.AerospikeError)
    expect((e as aerospike.AerospikeError).code).toBe(aerospike.status.ERR_CONNECTION)
  })
})

describe('tls.forLoginOnly', () => {
  it('logs in over TLS, then runs every command over the node\'s plaintext port', async () => {
    const s = await server({ tls: { cert: pem('node.pem'), key: pem('node.key'), clearPort: 0 }, security: { users: USERS } })
    expect(s.clearPort).toBeGreaterThan(0)
    const c = await client({ hosts: `127.0.0.1:node.test:${s.port}`, tls: { cafile: file('ca.pem'), forLoginOnly: true }, user: 'app', password: 'app-pw' })
    const k = new aerospike.Key(NS, uniqueSet('flo'), 1)
    await c.put(k, { a: 1 })
    expect((await c.get(k)).bins).toEqual({ a: 1 })
    // The columnar read is answered by the direct path, over plaintext connections.
    expect((await roundTrip(c, uniqueSet('flo'))).n[2]).toBe(2000n)
    expect(directReads(c)).toEqual([1, 0])
    // The TLS port is where the login went: a client that may not use TLS cannot log in there.
    const plainOnTls = await aerospike.connect({ hosts: `127.0.0.1:${s.port}`, user: 'app', password: 'app-pw', connTimeoutMs: 500 }).then(
      async (x) => {
        await x.close()
        return null
      },
      (err: unknown) => err,
    )
    expect(plainOnTls).toBeInstanceOf(aerospike.AerospikeError)
  })

  it('logs in over TLS again when the session nears its end, with no failed command', async () => {
    // A 2-second session and pooled connections closed after 1 idle second: the plain
    // connections opened later need a token from a new TLS login (the crate's and the direct path's).
    const s = await server({ tls: { cert: pem('node.pem'), key: pem('node.key'), clearPort: 0 }, security: { users: USERS, sessionTtl: 2 } })
    // Generous command timeouts: every new connection costs a TLS handshake and a login here, and
    // the test is about logins, not about how fast a loaded machine makes them.
    const policies = { write: { totalTimeout: 10_000 }, batch: { totalTimeout: 10_000 } }
    const c = await client({ hosts: `127.0.0.1:node.test:${s.port}`, tls: { cafile: file('ca.pem'), forLoginOnly: true }, user: 'app', password: 'app-pw', maxSocketIdle: 1, policies })
    const rounds = await busyRounds(c, 4500, 10)
    expect(rounds).toBeGreaterThan(3)
    expect(directReads(c)).toEqual([rounds, 0])
  }, 30_000)

  it('a node with no plaintext port fails connect(); without a login it is ERR_PARAM', async () => {
    const s = await server({ tls: { cert: pem('node.pem'), key: pem('node.key') }, security: { users: USERS } })
    const config = { hosts: `127.0.0.1:node.test:${s.port}`, connTimeoutMs: 1000, tls: { cafile: file('ca.pem'), forLoginOnly: true } }
    const fail = (cfg: aerospike.ConfigOptions) =>
      aerospike.connect(cfg).then(
        async (x) => {
          await x.close()
          return null
        },
        (err: unknown) => err,
      )
    const noClear = await fail({ ...config, user: 'app', password: 'app-pw' })
    expect(noClear).toBeInstanceOf(aerospike.AerospikeError)
    const noLogin = await fail(config)
    expect(noLogin).toBeInstanceOf(aerospike.AerospikeError)
    expect((noLogin as aerospike.AerospikeError).code).toBe(aerospike.status.ERR_PARAM)
  })
})
