/**
 * Named constants of the official API that belong to no command module: server features, job
 * states, authentication modes, UDF languages, transaction outcomes and privilege codes, with
 * the official client's names and numbers.
 * @module
 */

/** Server feature names, as `features` in the `features` info command lists them. */
export const features = Object.freeze({ CDT_MAP: 'cdt-map', CDT_LIST: 'cdt-list', BLOB_BITS: 'blob-bits' } as const)

/** States of a background job (`Job.info()`). */
export const jobStatus = Object.freeze({ UNDEF: 0, INPROGRESS: 1, COMPLETED: 2 } as const)
/** The values of `jobStatus`, as a type (the official client declares `jobStatus` as an enum). */
export type jobStatus = (typeof jobStatus)[keyof typeof jobStatus]

/** Authentication modes (`config.authMode`). */
export const auth = Object.freeze({ INTERNAL: 0, EXTERNAL: 1, EXTERNAL_INSECURE: 2, AUTH_PKI: 3 } as const)
/** The values of `auth`, as a type (the official client declares `auth` as an enum). */
export type auth = (typeof auth)[keyof typeof auth]

/** UDF languages (`udfRegister(path, type)`). */
export const language = Object.freeze({ LUA: 0 } as const)
/** The values of `language`, as a type (the official client declares `language` as an enum). */
export type language = (typeof language)[keyof typeof language]

/** Outcomes of `client.commit(transaction)`. */
export const commitStatus = Object.freeze({
  OK: 0,
  ALREADY_COMMITTED: 1,
  VERIFY_FAILED: 3,
  MARK_ROLL_FORWARD_ABANDONED: 4,
  ROLL_FORWARD_ABANDONED: 5,
  CLOSE_ABANDONED: 6,
} as const)

/** Outcomes of `client.abort(transaction)`. */
export const abortStatus = Object.freeze({ OK: 0, ALREADY_ABORTED: 1, ROLL_BACK_ABANDONED: 3, CLOSE_ABANDONED: 4 } as const)

/** Privilege codes of roles (`admin.Privilege`). */
export const privilegeCode = Object.freeze({
  USER_ADMIN: 0,
  SYS_ADMIN: 1,
  DATA_ADMIN: 2,
  UDF_ADMIN: 3,
  SINDEX_ADMIN: 4,
  READ: 10,
  READ_WRITE: 11,
  READ_WRITE_UDF: 12,
  WRITE: 13,
  TRUNCATE: 14,
} as const)
/** The values of `privilegeCode`, as a type (the official client declares `privilegeCode` as an enum). */
export type privilegeCode = (typeof privilegeCode)[keyof typeof privilegeCode]
