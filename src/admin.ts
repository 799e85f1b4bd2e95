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

/** The fields of {@link RoleOptions}. */
export interface Role extends RoleOptions {}

/** A role as `queryRole()` / `queryRoles()` report it. */
export class Role {
  constructor(options: RoleOptions) {
    const { name, readQuota, writeQuota, whitelist, privileges } = options
    Object.assign(this, { name, readQuota, writeQuota, whitelist, privileges })
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

/** The fields of {@link UserOptions}. */
export interface User extends UserOptions {}

/** A user as `queryUser()` / `queryUsers()` report it. */
export class User {
  constructor(options: UserOptions) {
    const { connsInUse, name, readInfo, writeInfo, roles } = options
    Object.assign(this, { connsInUse, name, readInfo, writeInfo, roles })
  }
}
