// Security admin commands: against the embedded server (no security) every one reaches the
// server and is refused with SECURITY_NOT_ENABLED (52), in both calling forms; bad arguments are
// refused as the official client refuses them (TypeError or ERR_PARAM, its messages) before
// anything is sent.
import { describe, expect, it } from 'vitest'
import { aerospike, communityServer, connectClient, connectedClient, expectCode } from './helpers'

const { Privilege, Role, User } = aerospike.admin
// A server with security off answers SECURITY_NOT_ENABLED (52); a Community Edition server, which
// has no security at all, SECURITY_NOT_SUPPORTED (51).
const NOT_ENABLED = (await communityServer()) ? 51 : 52

describe('admin classes', () => {
  it('Privilege defaults its scope to every namespace and set', () => {
    expect({ ...new Privilege(aerospike.privilegeCode.READ) }).toEqual({ code: 10, namespace: '', set: '' })
    expect({ ...new Privilege(11, { namespace: 'test', set: 's' }) }).toEqual({ code: 11, namespace: 'test', set: 's' })
  })
  it('Role and User take their fields', () => {
    const r = new Role({ name: 'r', readQuota: 1, writeQuota: 2, whitelist: ['1.2.3.4'], privileges: [] })
    expect(r).toMatchObject({ name: 'r', readQuota: 1, writeQuota: 2, whitelist: ['1.2.3.4'], privileges: [] })
    const u = new User({ name: 'u', readInfo: [], writeInfo: [], connsInUse: 0, roles: ['read'] })
    expect(u).toMatchObject({ name: 'u', connsInUse: 0, roles: ['read'] })
  })
})

describe('admin commands', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })

  const priv = () => [new Privilege(aerospike.privilegeCode.READ, { namespace: 'test' })]
  const calls: Array<[string, (c: aerospike.Client) => Promise<unknown>]> = [
    ['createUser', (c) => c.createUser('u1', 'pw', ['read'])],
    ['createPKIUser', (c) => c.createPKIUser('u2', ['read'], { timeout: 1000 })],
    ['dropUser', (c) => c.dropUser('u1')],
    ['changePassword', (c) => c.changePassword('u1', 'pw2')],
    ['setPassword', (c) => c.setPassword('u1', 'pw3', null)],
    ['grantRoles', (c) => c.grantRoles('u1', ['write'])],
    ['revokeRoles', (c) => c.revokeRoles('u1', ['write'])],
    ['queryUser', (c) => c.queryUser('u1')],
    ['queryUsers', (c) => c.queryUsers()],
    ['createRole', (c) => c.createRole('r1', priv(), null, ['10.0.0.1'], 100, 200)],
    ['dropRole', (c) => c.dropRole('r1')],
    ['grantPrivileges', (c) => c.grantPrivileges('r1', priv())],
    ['revokePrivileges', (c) => c.revokePrivileges('r1', priv())],
    ['queryRole', (c) => c.queryRole('read')],
    ['queryRoles', (c) => c.queryRoles(null)],
    ['setWhitelist', (c) => c.setWhitelist('r1', ['10.0.0.2'])],
    ['setQuotas', (c) => c.setQuotas('r1', 5, 6)],
  ]
  for (const [name, call] of calls) {
    it(`${name} is refused by a server without security`, async () => {
      await expectCode(call(client), NOT_ENABLED)
    })
  }

  it('callback form', async () => {
    const [err, res] = await new Promise<unknown[]>((r) => client.queryUsers(null, (e, v) => r([e, v])))
    expect((err as aerospike.AerospikeError).code).toBe(NOT_ENABLED)
    expect(res).toBeUndefined()
    const [err2] = await new Promise<unknown[]>((r) => client.createRole('r', priv(), null, null, null, null, (e) => r([e])))
    expect((err2 as aerospike.AerospikeError).code).toBe(NOT_ENABLED)
    const [err3] = await new Promise<unknown[]>((r) => client.dropUser('u', (e) => r([e])))
    expect((err3 as aerospike.AerospikeError).code).toBe(NOT_ENABLED)
  })

  it('refuses bad arguments as the official client does: wrong types are TypeErrors, bad list elements ERR_PARAM', async () => {
    const wrongType: Array<[() => Promise<unknown>, string]> = [
      [() => client.createUser(7 as never, 'b'), 'User name must be a string'],
      [() => client.createUser('a', 11 as never), 'Password must be a string'],
      [() => client.createUser('a', 'b', 15 as never), 'roles must be an array'],
      [() => client.createUser('a', 'b', [], 19 as never), 'Policy must be an object'],
      [() => client.createRole('c', 25 as never), 'privileges must be an array'],
      [() => client.createRole('c', [], {}, [], [] as never), 'read quota must be a number'],
      [() => client.revokeRoles(7 as never, []), 'user name must be a string'],
      [() => client.queryUser(7 as never), 'User must be a string'],
      [() => client.setWhitelist('a', 'b' as never), 'Whitelist must be an array'],
      [() => client.setQuotas('a', 10, 'b' as never), 'write quota must be a number'],
      [() => client.createUser('a', 'b', [], {}, 26 as never), 'this.callback.bind is not a function'],
      [() => client.createRole('c', [], {}, [], 19, 20, [] as never), 'this.callback.bind is not a function'],
    ]
    for (const [call, message] of wrongType) {
      const e = await call().then(
        () => null,
        (err: unknown) => err,
      )
      expect(e).toBeInstanceOf(TypeError)
      expect((e as TypeError).message).toBe(message)
    }
    const badElement: Array<[() => Promise<unknown>, string]> = [
      [() => client.createUser('a', 'b', [15] as never), 'Roles object invalid'],
      [() => client.createRole('c', [25] as never), 'Privileges array invalid'],
      [() => client.createRole('c', [], {}, [10] as never), 'Whitelist array invalid'],
    ]
    for (const [call, message] of badElement) {
      const e = await expectCode(call(), aerospike.status.ERR_PARAM)
      expect(e.message).toBe(message)
    }
  })

  it('fails with ERR_CLIENT on a closed client', async () => {
    const c = await connectClient()
    await c.close()
    await expectCode(c.queryUsers(), aerospike.status.ERR_CLIENT)
  })
})
