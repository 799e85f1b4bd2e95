/**
 * The `admin` namespace of the official client: `User`, `Role` and `Privilege`, the shapes of
 * the security admin commands' arguments and results (see `client_admin.ts`).
 * @module
 */

/** Options of a {@link Privilege}: its scope ('' or absent = every namespace / set). */
export interface PrivilegeOptions {
  namespace?: string
  set?: string
}

/** A permission of a role: a `privilegeCode`, optionally limited to a namespace and set. */
export class Privilege {
  code: number
  namespace: string
  set: string
  constructor(code: number, options?: PrivilegeOptions | null) {
    this.code = code
    this.namespace = options?.namespace || ''
    this.set = options?.set || ''
  }
}

/** Fields of a {@link Role}. */
export interface RoleOptions {
  name: string
  readQuota: number
  writeQuota: number
  whitelist: string[]
  privileges: Privilege[]
}

/** A role as `queryRole()` / `queryRoles()` report it. */
export class Role {
  name: string
  readQuota: number
  writeQuota: number
  whitelist: string[]
  privileges: Privilege[]
  constructor(options: RoleOptions) {
    this.name = options.name
    this.readQuota = options.readQuota
    this.writeQuota = options.writeQuota
    this.whitelist = options.whitelist
    this.privileges = options.privileges
  }
}

/** Fields of a {@link User}. */
export interface UserOptions {
  name: string
  readInfo: number[]
  writeInfo: number[]
  connsInUse: number
  roles: string[]
}

/** A user as `queryUser()` / `queryUsers()` report it. */
export class User {
  connsInUse: number
  name: string
  readInfo: number[]
  writeInfo: number[]
  roles: string[]
  constructor(options: UserOptions) {
    this.connsInUse = options.connsInUse
    this.name = options.name
    this.readInfo = options.readInfo
    this.writeInfo = options.writeInfo
    this.roles = options.roles
  }
}
