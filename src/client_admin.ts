/**
 * User and role administration (security must be enabled on the server): `createUser`,
 * `dropUser`, `changePassword`, `setPassword`, `grantRoles`, `revokeRoles`, `queryUser(s)`,
 * `createRole`, `dropRole`, `grantPrivileges`, `revokePrivileges`, `queryRole(s)`,
 * `setWhitelist`, `setQuotas`, as the official client has them. A server without security
 * rejects every one with `SECURITY_NOT_ENABLED` (52).
 * @module
 */
import { Client } from './client'
import { rethrowInput, settle, splitCallback, type Callback } from './callbacks'
import { AerospikeError } from './errors'
import { status } from './status'
import { Privilege, Role, User } from './admin'

/** Policy of the admin commands (`Aerospike.AdminPolicy`). */
export interface AdminPolicyLike {
  /** Time limit of the command, ms. @default 1000 */
  timeout?: number
}

declare module './client' {
  interface Client {
    createUser(user: string, password: string, roles?: string[] | null, policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
    createPKIUser(user: string, roles?: string[] | null, policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
    dropUser(user: string, policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
    changePassword(user: string, password: string, policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
    setPassword(user: string, password: string, policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
    grantRoles(user: string, roles: string[], policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
    revokeRoles(user: string, roles: string[], policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
    queryUser(user: string, policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<User>): Promise<User>
    queryUsers(policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<User[]>): Promise<User[]>
    createRole(roleName: string, privileges: Privilege[], policy?: AdminPolicyLike | null, whitelist?: string[] | null, readQuota?: number | null, writeQuota?: number | null, callback?: Callback<void>): Promise<void>
    dropRole(roleName: string, policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
    grantPrivileges(roleName: string, privileges: Privilege[], policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
    revokePrivileges(roleName: string, privileges: Privilege[], policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
    queryRole(roleName: string, policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<Role>): Promise<Role>
    queryRoles(policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<Role[]>): Promise<Role[]>
    setWhitelist(roleName: string, whitelist: string[] | null, policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
    setQuotas(roleName: string, readQuota: number, writeQuota: number, policy?: AdminPolicyLike | null | Callback<any>, callback?: Callback<void>): Promise<void>
  }
}

type NativeClient = import('../native').NativeClient
type NativePrivilege = { code: number; namespace: string; set: string }

// As in the official client: an argument of the wrong type is a TypeError, a list holding a
// wrong element an ERR_PARAM AerospikeError, both with the official message.
const param = (message: string): AerospikeError => new AerospikeError(message, status.ERR_PARAM)

function str(v: unknown, message: string): string {
  if (typeof v !== 'string') throw new TypeError(message)
  return v
}

/** The policy's time limit (ms), or undefined for the default. */
function timeoutOf(policy: unknown): number | undefined {
  if (policy === undefined || policy === null) return undefined
  if (typeof policy !== 'object' || Array.isArray(policy)) throw new TypeError('Policy must be an object')
  const t = (policy as AdminPolicyLike).timeout
  if (t === undefined || t === null) return undefined
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > 0xffffffff) throw param('policy.timeout must be a non-negative integer')
  return t
}

/** A list of names (roles, allowlist addresses); absent = empty. */
function names(v: unknown, notArray: string, badItem: string, optional: boolean): string[] {
  if ((v === undefined || v === null) && optional) return []
  if (!Array.isArray(v)) throw new TypeError(notArray)
  if (!v.every((s) => typeof s === 'string')) throw param(badItem)
  return v as string[]
}

function privileges(v: unknown, notArray: string): NativePrivilege[] {
  if (!Array.isArray(v)) throw new TypeError(notArray)
  return v.map((p) => {
    if (p === null || typeof p !== 'object' || !Number.isInteger((p as Privilege).code)) throw param('Privileges array invalid')
    const { code, namespace, set } = p as Privilege
    if ((namespace !== undefined && namespace !== null && typeof namespace !== 'string') || (set !== undefined && set !== null && typeof set !== 'string')) {
      throw param('Privileges array invalid')
    }
    return { code, namespace: namespace ?? '', set: set ?? '' }
  })
}

function quota(v: unknown, message: string): number {
  if (v === undefined || v === null) return 0
  if (typeof v !== 'number') throw new TypeError(message)
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw param(message)
  return v
}

const toUser = (u: { name: string; readInfo: number[]; writeInfo: number[]; connsInUse: number; roles: string[] }): User =>
  new User({ name: u.name, readInfo: u.readInfo, writeInfo: u.writeInfo, connsInUse: u.connsInUse, roles: u.roles })

const toRole = (r: { name: string; privileges: NativePrivilege[]; allowlist: string[]; readQuota: number; writeQuota: number }): Role =>
  new Role({
    name: r.name,
    readQuota: r.readQuota,
    writeQuota: r.writeQuota,
    whitelist: r.allowlist,
    privileges: r.privileges.map((p) => new Privilege(p.code, { namespace: p.namespace, set: p.set })),
  })

/**
 * Runs an admin command: arguments checked in `body`, errors mapped, callback or promise.
 * `arity` is the callback's position: something else there is the official client's TypeError.
 */
function command<T>(client: Client, args: unknown[], arity: number, body: (a: unknown[]) => (n: NativeClient) => Promise<T>): Promise<T> {
  const [a, cb] = splitCallback(args)
  const run = async () => {
    if (cb === undefined && a.length > arity && a[arity] !== undefined && a[arity] !== null) throw new TypeError('this.callback.bind is not a function')
    const f = body(a)
    return client._stats.track('admin', client._call(f))
  }
  return settle(run().catch(rethrowInput), cb)
}

const USER = 'User name must be a string'
const ROLE = 'Role must be a string'

Client.prototype.createUser = function (this: Client, ...args: unknown[]) {
  return command(this, args, 4, ([user, password, roles, policy]) => {
    const u = str(user, USER)
    const pw = str(password, 'Password must be a string')
    const r = names(roles, 'roles must be an array', 'Roles object invalid', true)
    const t = timeoutOf(policy)
    return (n) => n.adminCreateUser(u, pw, r, t)
  })
}

Client.prototype.createPKIUser = function (this: Client, ...args: unknown[]) {
  return command(this, args, 3, ([user, roles, policy]) => {
    const u = str(user, USER)
    const r = names(roles, 'roles must be an array', 'Roles object invalid', true)
    const t = timeoutOf(policy)
    return (n) => n.adminCreateUser(u, null, r, t)
  })
}

Client.prototype.dropUser = function (this: Client, ...args: unknown[]) {
  return command(this, args, 2, ([user, policy]) => {
    const u = str(user, USER)
    const t = timeoutOf(policy)
    return (n) => n.adminDropUser(u, t)
  })
}

function passwordCommand(this: Client, ...args: unknown[]): Promise<void> {
  return command(this, args, 3, ([user, password, policy]) => {
    const u = str(user, USER)
    const pw = str(password, 'Password must be a string')
    const t = timeoutOf(policy)
    return (n) => n.adminChangePassword(u, pw, t)
  })
}
// Both change the password: with the old credentials when `user` is the client's own user
// (config.user), otherwise as an administrator.
Client.prototype.changePassword = passwordCommand
Client.prototype.setPassword = passwordCommand

/** `grantRoles` / `revokeRoles` (the official messages differ in the user name's). */
function rolesCommand(call: 'adminGrantRoles' | 'adminRevokeRoles', userMessage: string) {
  return function (this: Client, ...args: unknown[]): Promise<void> {
    return command(this, args, 3, ([user, roles, policy]) => {
      const u = str(user, userMessage)
      const r = names(roles, 'Roles must be an array', 'Roles object invalid', false)
      const t = timeoutOf(policy)
      return (n) => n[call](u, r, t)
    })
  }
}
Client.prototype.grantRoles = rolesCommand('adminGrantRoles', USER)
Client.prototype.revokeRoles = rolesCommand('adminRevokeRoles', 'user name must be a string')

/**
 * `queryUser` and `queryUsers`, or `queryRole` and `queryRoles`: one by name (rejected with
 * `missing`, INVALID_USER or INVALID_ROLE, when there is none), or all of them.
 */
function queries<N, R>(query: (n: NativeClient, name: string | null, timeout?: number) => Promise<N[]>, nameMessage: string, missing: number, make: (found: N) => R) {
  const one = function (this: Client, ...args: unknown[]): Promise<R> {
    return command(this, args, 2, ([name, policy]) => {
      const s = str(name, nameMessage)
      const t = timeoutOf(policy)
      return async (n) => {
        const found = await query(n, s, t)
        if (found.length === 0) throw new AerospikeError(status.getMessage(missing), missing)
        return make(found[0]!)
      }
    })
  }
  const all = function (this: Client, ...args: unknown[]): Promise<R[]> {
    return command(this, args, 1, ([policy]) => {
      const t = timeoutOf(policy)
      return async (n) => (await query(n, null, t)).map(make)
    })
  }
  return [one, all] as const
}

const [queryUser, queryUsers] = queries((n, user, t) => n.adminQueryUsers(user, t), 'User must be a string', status.INVALID_USER, toUser)
Client.prototype.queryUser = queryUser
Client.prototype.queryUsers = queryUsers

Client.prototype.createRole = function (this: Client, ...args: unknown[]) {
  return command(this, args, 6, ([role, privs, policy, whitelist, readQuota, writeQuota]) => {
    const r = str(role, 'role must be a string')
    const p = privileges(privs, 'privileges must be an array')
    const t = timeoutOf(policy)
    const w = names(whitelist, 'whitelist must be an array', 'Whitelist array invalid', true)
    const rq = quota(readQuota, 'read quota must be a number')
    const wq = quota(writeQuota, 'write quota must be a number')
    return (n) => n.adminCreateRole(r, p, w, rq, wq, t)
  })
}

Client.prototype.dropRole = function (this: Client, ...args: unknown[]) {
  return command(this, args, 2, ([role, policy]) => {
    const r = str(role, 'role must be a string')
    const t = timeoutOf(policy)
    return (n) => n.adminDropRole(r, t)
  })
}

/** `grantPrivileges` / `revokePrivileges`. */
function privilegesCommand(call: 'adminGrantPrivileges' | 'adminRevokePrivileges') {
  return function (this: Client, ...args: unknown[]): Promise<void> {
    return command(this, args, 3, ([role, privs, policy]) => {
      const r = str(role, ROLE)
      const p = privileges(privs, 'Privileges must be an array')
      const t = timeoutOf(policy)
      return (n) => n[call](r, p, t)
    })
  }
}
Client.prototype.grantPrivileges = privilegesCommand('adminGrantPrivileges')
Client.prototype.revokePrivileges = privilegesCommand('adminRevokePrivileges')

const [queryRole, queryRoles] = queries((n, role, t) => n.adminQueryRoles(role, t), ROLE, status.INVALID_ROLE, toRole)
Client.prototype.queryRole = queryRole
Client.prototype.queryRoles = queryRoles

Client.prototype.setWhitelist = function (this: Client, ...args: unknown[]) {
  return command(this, args, 3, ([role, whitelist, policy]) => {
    const r = str(role, ROLE)
    const w = names(whitelist, 'Whitelist must be an array', 'Whitelist array invalid', true)
    const t = timeoutOf(policy)
    return (n) => n.adminSetAllowlist(r, w, t)
  })
}

Client.prototype.setQuotas = function (this: Client, ...args: unknown[]) {
  return command(this, args, 4, ([role, readQuota, writeQuota, policy]) => {
    const r = str(role, ROLE)
    const rq = quota(readQuota, 'read quota must be a number')
    const wq = quota(writeQuota, 'write quota must be a number')
    const t = timeoutOf(policy)
    return (n) => n.adminSetQuotas(r, rq, wq, t)
  })
}
