// Connecting to a secured cluster: an embedded server with security on (started here, on its own
// port), logins that succeed and fail with the official codes, the admin API round trip with the
// official result shapes, privileges enforced (nothing written without them), the columnar
// read's own connections logging in, sessions renewed, a thousand failed logins in a row, TLS
// (certificates made by openssl as the tests run, through a TLS proxy in front of the server:
// TLS names, capath, mutual TLS, a wrong CA, a plain client on a TLS port), the TLS settings
// this client cannot honour refused at connect, and the security guide's example run.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Socket, connect as netConnect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createServer as tlsServer, type Server as TlsServer } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { certificates } from './certs'
import { aerospike, expectCode, uniqueSet } from './helpers'
import { busyRounds } from './tls-fixture'

const { Privilege, Role, User } = aerospike.admin
const { status, privilegeCode } = aerospike
const NS = 'test'

let server: aerospike.EmbeddedServer
const users = [
  { user: 'admin', password: 'admin', roles: ['user-admin'] },
  { user: 'app', password: 'app-pw', roles: ['read-write'] },
  { user: 'reader', password: 'reader-pw', roles: ['read'] },
  { user: 'writer', password: 'writer-pw', roles: ['write'] },
]
const open: aerospike.Client[] = []

async function as(user: string, password: string, extra: aerospike.ConfigOptions = {}): Promise<aerospike.Client> {
  const c = (await aerospike.connect({ hosts: server.address, user, password, ...extra })) as aerospike.Client
  open.push(c)
  return c
}

beforeAll(async () => {
  server = await aerospike.startServer({ port: 0, security: { users } })
})
afterAll(async () => {
  for (const c of open) await c.close()
  await server.stop()
})

describe('login', () => {
  it('a known user with its password connects and works', async () => {
    const c = await as('app', 'app-pw')
    const key = new aerospike.Key(NS, uniqueSet('login'), 1)
    await c.put(key, { a: 1 })
    expect((await c.get(key)).bins).toEqual({ a: 1 })
  })

  it('a wrong password fails connect() with INVALID_PASSWORD', async () => {
    await expectCode(as('app', 'nope'), status.INVALID_PASSWORD)
  })

  it('an unknown user fails connect() with INVALID_USER', async () => {
    await expectCode(as('nobody', 'x'), status.INVALID_USER)
  })

  it('no credentials fails connect() with NOT_AUTHENTICATED (the server answers nothing before a login)', async () => {
    await expectCode(aerospike.connect({ hosts: server.address }), status.NOT_AUTHENTICATED)
  })

  it('authMode is checked: EXTERNAL needs TLS, PKI needs TLS, unknown modes are refused', async () => {
    await expectCode(as('app', 'app-pw', { authMode: aerospike.auth.EXTERNAL }), status.ERR_PARAM)
    await expectCode(as('app', 'app-pw', { authMode: aerospike.auth.AUTH_PKI }), status.ERR_PARAM)
    await expect(as('app', 'app-pw', { authMode: 7 })).rejects.toThrow(/authMode/)
  })

  it('authMode EXTERNAL_INSECURE sends the clear password too and logs in', async () => {
    const c = await as('app', 'app-pw', { authMode: aerospike.auth.EXTERNAL_INSECURE, loginTimeoutMs: 2000 })
    await c.put(new aerospike.Key(NS, uniqueSet('ext'), 1), { a: 1 })
  })
})

describe('admin API round trip', () => {
  let admin: aerospike.Client
  beforeAll(async () => {
    admin = await as('admin', 'admin')
  })

  it('users: create, query, grant, revoke, change password, drop', async () => {
    await admin.createUser('u1', 'pw1', ['read'])
    let u = await admin.queryUser('u1')
    expect(u).toBeInstanceOf(User)
    expect(u).toMatchObject({ name: 'u1', roles: ['read'] })
    expect(Array.isArray(u.readInfo) && Array.isArray(u.writeInfo)).toBe(true)
    expect(typeof u.connsInUse).toBe('number')
    await admin.grantRoles('u1', ['write'])
    u = await admin.queryUser('u1')
    expect([...u.roles].sort()).toEqual(['read', 'write'])
    await admin.revokeRoles('u1', ['read'])
    expect((await admin.queryUser('u1')).roles).toEqual(['write'])
    const all = await admin.queryUsers()
    expect(all.every((x) => x instanceof User)).toBe(true)
    expect(all.map((x) => x.name)).toEqual(expect.arrayContaining(['admin', 'app', 'u1']))
    // The user changes its own password; the old one stops working.
    const self = await as('u1', 'pw1')
    await self.changePassword('u1', 'pw2')
    await expectCode(as('u1', 'pw1'), status.INVALID_PASSWORD)
    await as('u1', 'pw2')
    await admin.dropUser('u1')
    await expectCode(as('u1', 'pw2'), status.INVALID_USER)
  })

  it('roles: create, query, grant and revoke privileges, whitelist, quotas, drop', async () => {
    const scoped = new Privilege(privilegeCode.READ, { namespace: NS, set: 'only' })
    await admin.createRole('r1', [scoped], null, ['127.0.0.1'], 100, 200)
    let r = await admin.queryRole('r1')
    expect(r).toBeInstanceOf(Role)
    expect(r).toMatchObject({ name: 'r1', whitelist: ['127.0.0.1'], readQuota: 100, writeQuota: 200 })
    expect(r.privileges.map((p) => ({ ...p }))).toEqual([{ code: privilegeCode.READ, namespace: NS, set: 'only' }])
    expect(r.privileges[0]).toBeInstanceOf(Privilege)
    await admin.grantPrivileges('r1', [new Privilege(privilegeCode.WRITE)])
    r = await admin.queryRole('r1')
    expect(r.privileges.map((p) => p.code).sort()).toEqual([privilegeCode.READ, privilegeCode.WRITE].sort())
    await admin.revokePrivileges('r1', [scoped])
    expect((await admin.queryRole('r1')).privileges.map((p) => p.code)).toEqual([privilegeCode.WRITE])
    await admin.setWhitelist('r1', ['10.0.0.0/8', '127.0.0.1'])
    expect((await admin.queryRole('r1')).whitelist).toEqual(['10.0.0.0/8', '127.0.0.1'])
    await admin.setQuotas('r1', 5, 6)
    expect(await admin.queryRole('r1')).toMatchObject({ readQuota: 5, writeQuota: 6 })
    const roles = await admin.queryRoles()
    expect(roles.map((x) => x.name)).toEqual(expect.arrayContaining(['r1', 'read', 'read-write', 'user-admin']))
    await admin.dropRole('r1')
    await expectCode(admin.queryRole('r1'), status.INVALID_ROLE)
  })

  it('a user without user-admin gets ROLE_VIOLATION from admin commands', async () => {
    const app = await as('app', 'app-pw')
    await expectCode(app.createUser('x', 'y', ['read']), status.ROLE_VIOLATION)
  })
})

describe('privileges', () => {
  it('a read-only user gets ROLE_VIOLATION and nothing is written', async () => {
    const set = uniqueSet('ro')
    const reader = await as('reader', 'reader-pw')
    const app = await as('app', 'app-pw')
    const key = new aerospike.Key(NS, set, 'k')
    await expectCode(reader.put(key, { a: 1 }), status.ROLE_VIOLATION)
    await expectCode(app.get(key), status.ERR_RECORD_NOT_FOUND)
  })

  it('batchReadColumns works for a user with read and fails cleanly for one without', async () => {
    const set = uniqueSet('cols')
    const app = await as('app', 'app-pw')
    const keys = Array.from({ length: 50 }, (_, i) => new aerospike.Key(NS, set, i))
    for (const [i, k] of keys.entries()) await app.put(k, { n: i, f: i / 2 })
    for (const c of [app, await as('reader', 'reader-pw')]) {
      const cols = await c.batchReadColumns(keys, { n: 'i64', f: 'f64' })
      expect(Array.from(cols.status)).toEqual(keys.map(() => 0))
      expect(Array.from(cols.columns.n)).toEqual(keys.map((_, i) => BigInt(i)))
    }
    const writer = await as('writer', 'writer-pw')
    await expectCode(writer.batchReadColumns(keys, { n: 'i64' }), status.ROLE_VIOLATION)
  })
})

/** One LOGIN admin message with a credential that matches no password. */
function badLogin(user: string, i: number): Buffer {
  const f = (id: number, text: string) => {
    const d = Buffer.from(text)
    const b = Buffer.alloc(5 + d.length)
    b.writeUInt32BE(d.length + 1, 0)
    b[4] = id
    d.copy(b, 5)
    return b
  }
  const body = Buffer.concat([Buffer.from([0, 0, 20, 2, ...new Array(12).fill(0)]), f(0, user), f(3, `$2a$10$7EqJtq98hPqEX7fNZaFWoO${String(i).padStart(31, 'x')}`)])
  const head = Buffer.alloc(8)
  head.writeUIntBE(body.length, 2, 6)
  head[0] = 2
  head[1] = 2
  return Buffer.concat([head, body])
}

/** Sends `msg` on a new connection and resolves with the reply's result code. */
function resultOf(msg: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = new Socket()
    let got = Buffer.alloc(0)
    s.setTimeout(5000, () => s.destroy(new Error('no reply')))
    s.on('error', reject)
    s.on('data', (d) => {
      got = Buffer.concat([got, d])
      if (got.length >= 10) {
        resolve(got[9]!)
        s.destroy()
      }
    })
    s.connect(server.port, server.host, () => s.write(msg))
  })
}

describe('hostile logins', () => {
  it('a thousand failed logins in a row, the server still serving others', async () => {
    const app = await as('app', 'app-pw')
    const key = new aerospike.Key(NS, uniqueSet('storm'), 1)
    await app.put(key, { v: 1 })
    const codes = new Set<number>()
    for (let i = 0; i < 1000; i++) codes.add(await resultOf(badLogin(i % 2 ? 'app' : `ghost${i}`, i)))
    expect([...codes].sort()).toEqual([status.INVALID_USER, status.INVALID_PASSWORD].sort())
    expect((await app.get(key)).bins).toEqual({ v: 1 })
    // And a new client still logs in.
    const again = await as('app', 'app-pw')
    expect((await again.get(key)).bins).toEqual({ v: 1 })
  }, 60_000)

  it('failed connect() calls in a row leave the server serving others', async () => {
    for (let i = 0; i < 20; i++) await expectCode(as('app', `wrong${i}`), status.INVALID_PASSWORD)
    const c = await as('app', 'app-pw')
    await c.put(new aerospike.Key(NS, uniqueSet('after'), 1), { ok: true })
  }, 60_000)
})

describe('TLS settings this client cannot honour fail connect() with ERR_PARAM', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['keyfilePassword', { cafile: __filename, keyfilePassword: 'secret' }],
    ['crlCheck', { cafile: __filename, crlCheck: true }],
    ['crlCheckAll', { cafile: __filename, crlCheckAll: true }],
    ['certBlacklist', { cafile: __filename, certBlacklist: '/tmp/x' }],
    ['logSessionInfo', { cafile: __filename, logSessionInfo: true }],
    ['system trust store', {}],
    ['missing cafile', { cafile: '/nonexistent/ca.pem' }],
    ['cafile without a certificate', { cafile: __filename }],
    ['TLSv1.1', { cafile: __filename, protocols: '+TLSv1.1' }],
    ['OpenSSL cipher keywords', { cafile: __filename, cipherSuite: 'HIGH:!aNULL' }],
    ['certfile without keyfile', { cafile: __filename, certfile: __filename }],
  ]
  for (const [name, tls] of cases) {
    it(name, async () => {
      const e = await expectCode(aerospike.connect({ hosts: server.address, tls }), status.ERR_PARAM)
      expect(e.message).toMatch(/config\.tls/)
    })
  }
  it('forLoginOnly without a login', async () => {
    await expectCode(aerospike.connect({ hosts: server.address, tls: { cafile: __filename, forLoginOnly: true } }), status.ERR_PARAM)
  })
  it('tls.enable: false is no TLS (and the TLS name of a host is dropped)', async () => {
    const c = await as('app', 'app-pw', { hosts: `${server.host}:some.name:${server.port}`, tls: { enable: false, crlCheck: true } })
    await c.put(new aerospike.Key(NS, uniqueSet('notls'), 1), { a: 1 })
  })
  it('inspecting a config hides the key file password as it hides the password', async () => {
    const { inspect } = await import('node:util')
    const shown = inspect(new aerospike.Config({ user: 'u', password: 'secret1', tls: { keyfilePassword: 'secret2' } }))
    expect(shown).not.toMatch(/secret/)
  })
  it('settings of the wrong type are TypeErrors', async () => {
    await expect(aerospike.connect({ hosts: server.address, tls: { cafile: 5 } as never })).rejects.toThrow(TypeError)
  })
})

describe('sessions', () => {
  it('an expired session token is replaced by a new login, with no failed command', async () => {
    // A 2-second session, and pooled connections closed after 1 idle second, so connections
    // opened after the token expired must log in again (both the crate's and the columnar read's).
    const s = await aerospike.startServer({ port: 0, security: { users: [{ user: 'app', password: 'pw', roles: ['read-write'] }], sessionTtl: 2 } })
    try {
      const c = (await aerospike.connect({ hosts: s.address, user: 'app', password: 'pw', maxSocketIdle: 1 })) as aerospike.Client
      const rounds = await busyRounds(c, 4500)
      expect(rounds).toBeGreaterThan(3)
      await c.close()
    } finally {
      await s.stop()
    }
  }, 30_000)
})

describe('a secured embedded cluster', () => {
  it('every node shares the users: a login works through any node, a wrong one fails', async () => {
    const cluster = await aerospike.startCluster({ nodes: 2, security: { users: [{ user: 'app', password: 'pw', roles: ['read-write'] }], sessionTtl: 3600 } })
    try {
      const c = (await aerospike.connect({ hosts: await cluster.seed(), user: 'app', password: 'pw' })) as aerospike.Client
      const set = uniqueSet('cl')
      const keys = Array.from({ length: 40 }, (_, i) => new aerospike.Key(NS, set, i))
      for (const k of keys) await c.put(k, { n: 1 })
      const cols = await c.batchReadColumns(keys, { n: 'i64' })
      expect(Array.from(cols.status)).toEqual(keys.map(() => 0))
      await c.close()
      await expectCode(aerospike.connect({ hosts: await cluster.seed(), user: 'app', password: 'bad' }), status.INVALID_PASSWORD)
    } finally {
      await cluster.stop()
    }
  }, 60_000)

  it('startServer refuses a malformed security option', async () => {
    await expect(aerospike.startServer({ security: { users: [{ user: '', password: 'x', roles: [] }] } })).rejects.toThrow(TypeError)
    await expect(aerospike.startServer({ security: 'yes' as never })).rejects.toThrow(TypeError)
  })
})

describe('TLS (through a TLS-terminating proxy in front of the embedded server)', () => {
  // The embedded server's own TLS is tested with it; this checks the client's side: the
  // certificates, TLS names, mutual TLS and the login over TLS.
  let dir: string
  let proxy: TlsServer
  let mutual: TlsServer
  const ports = { proxy: 0, mutual: 0 }
  const listen = async (srv: TlsServer) => {
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
    return (srv.address() as { port: number }).port
  }
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'csec-tls-'))
    certificates(dir)
    const file = (f: string) => readFileSync(path.join(dir, f))
    const forward = (c: import('node:tls').TLSSocket) => {
      const up = netConnect(server.port, server.host)
      c.pipe(up).pipe(c)
      c.on('error', () => up.destroy())
      up.on('error', () => c.destroy())
    }
    proxy = tlsServer({ key: file('node.key'), cert: file('node.pem') }, forward)
    mutual = tlsServer({ key: file('node.key'), cert: file('node.pem'), ca: file('ca.pem'), requestCert: true, rejectUnauthorized: true }, forward)
    ports.proxy = await listen(proxy)
    ports.mutual = await listen(mutual)
  })
  afterAll(() => {
    proxy.close()
    mutual.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('logs in and works over TLS (hosts as addr:tlsname:port), batchReadColumns included', async () => {
    const c = await as('app', 'app-pw', { hosts: `127.0.0.1:node.test:${ports.proxy}`, tls: { cafile: path.join(dir, 'ca.pem'), protocols: '-all +TLSv1.2 +TLSv1.3' } })
    const keys = Array.from({ length: 10 }, (_, i) => new aerospike.Key(NS, uniqueSet('tls'), i))
    for (const k of keys) await c.put(k, { n: 7 })
    const cols = await c.batchReadColumns(keys, { n: 'i64' })
    expect(Array.from(cols.columns.n)).toEqual(keys.map(() => 7n))
  })

  it('host objects carry the TLS name; capath works as cafile does', async () => {
    const c = await as('app', 'app-pw', { hosts: [{ addr: '127.0.0.1', port: ports.proxy, tlsname: 'node.test' }], tls: { capath: dir, cipherSuite: 'TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256' } })
    await c.put(new aerospike.Key(NS, uniqueSet('tls'), 1), { a: 1 })
  })

  it('a CA that did not sign the node fails connect() cleanly', async () => {
    const t0 = Date.now()
    const e = await aerospike.connect({ hosts: `127.0.0.1:node.test:${ports.proxy}`, user: 'app', password: 'app-pw', connTimeoutMs: 1000, tls: { cafile: path.join(dir, 'other-ca.pem') } }).then(
      () => null,
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(aerospike.AerospikeError)
    expect(Date.now() - t0).toBeLessThan(10_000)
  })

  it('mutual TLS: with the client certificate it works, without it connect() fails', async () => {
    const tls = { cafile: path.join(dir, 'ca.pem'), certfile: path.join(dir, 'client.pem'), keyfile: path.join(dir, 'client.key') }
    const c = await as('app', 'app-pw', { hosts: `127.0.0.1:node.test:${ports.mutual}`, tls })
    await c.put(new aerospike.Key(NS, uniqueSet('mtls'), 1), { a: 1 })
    const e = await aerospike.connect({ hosts: `127.0.0.1:node.test:${ports.mutual}`, user: 'app', password: 'app-pw', connTimeoutMs: 1000, tls: { cafile: tls.cafile } }).then(
      () => null,
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(aerospike.AerospikeError)
  })

  it('a plain client on a TLS port fails connect() within its timeout', async () => {
    const t0 = Date.now()
    const e = await aerospike.connect({ hosts: `127.0.0.1:${ports.proxy}`, user: 'app', password: 'app-pw', connTimeoutMs: 500 }).then(
      () => null,
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(aerospike.AerospikeError)
    expect(Date.now() - t0).toBeLessThan(10_000)
  })
})

describe('the security guide', () => {
  it('examples/security.js runs', () => {
    const root = path.resolve(__dirname, '..')
    const r = spawnSync(process.execPath, [path.join(root, 'examples', 'security.js')], { cwd: root, encoding: 'utf8', timeout: 60_000 })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/logged in as app/)
  }, 90_000)
})
