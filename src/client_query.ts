/**
 * Queries, scans and secondary indexes of `Client`: `query()`, `scan()`, `createIndex()` and its
 * typed shortcuts, `createExpIndex()`, `indexRemove()`. The queries themselves are in
 * `query.ts`, the index commands in `indexes.ts`.
 * @module
 */
import { Client } from './client'
import { rethrowInput, settle, type Callback } from './callbacks'
import * as indexes from './indexes'
import { indexDataType, type ExpIndexOptions, type IndexJob, type IndexOptions } from './indexes'
import { Query, Scan, type QueryOptions, type ScanOptions } from './query'

declare module './client' {
  interface Client {
    /** A query of a set (or namespace) with a secondary-index filter: add one with `where()`. */
    query(ns: string, options?: QueryOptions): Query
    query(ns: string, set?: string | null, options?: QueryOptions): Query
    /** A scan of every record of a set (or of a namespace when `set` is null). */
    scan(ns: string, options?: ScanOptions): Scan
    scan(ns: string, set?: string | null, options?: ScanOptions): Scan
    /** Creates a secondary index. Resolves with a job whose `wait()` resolves once it is built. */
    createIndex(options: IndexOptions, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob>
    /** Creates a secondary index on the value of an expression (`options.exp`). */
    createExpIndex(options: ExpIndexOptions | IndexOptions, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob>
    /** Creates an integer index. */
    createIntegerIndex(options: Omit<IndexOptions, 'datatype'>, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob>
    /** Creates a string index. */
    createStringIndex(options: Omit<IndexOptions, 'datatype'>, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob>
    /** Creates a blob (bytes) index. */
    createBlobIndex(options: Omit<IndexOptions, 'datatype'>, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob>
    /** Creates a geospatial index on GeoJSON bins. */
    createGeo2DSphereIndex(options: Omit<IndexOptions, 'datatype'>, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob>
    /** Removes a secondary index. */
    indexRemove(ns: string, index: string, policy?: unknown, callback?: Callback<void>): Promise<void>
  }
}

Client.prototype.query = function query(this: Client, ns: string, set?: string | null | QueryOptions, options?: QueryOptions): Query {
  return new Query(this, ns, set, options)
}

Client.prototype.scan = function scan(this: Client, ns: string, set?: string | null | ScanOptions, options?: ScanOptions): Scan {
  return new Scan(this, ns, set, options)
}

Client.prototype.createIndex = function createIndex(this: Client, options: IndexOptions, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob> {
  if (typeof policy === 'function') [policy, callback] = [null, policy as Callback<IndexJob>]
  return settle(Promise.resolve().then(() => indexes.createIndex(this, options, policy as never)).catch(rethrowInput), callback)
}

Client.prototype.createExpIndex = function createExpIndex(this: Client, options: ExpIndexOptions | IndexOptions, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob> {
  if (typeof policy === 'function') [policy, callback] = [null, policy as Callback<IndexJob>]
  if (options === null || typeof options !== 'object' || options.exp === undefined) {
    return settle(Promise.reject(new TypeError('createExpIndex needs options.exp')), callback)
  }
  return settle(Promise.resolve().then(() => indexes.createIndex(this, options, policy as never)).catch(rethrowInput), callback)
}

Client.prototype.createIntegerIndex = function createIntegerIndex(this: Client, options: Omit<IndexOptions, 'datatype'>, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob> {
  return this.createIndex({ ...options, datatype: indexDataType.NUMERIC }, policy, callback)
}

Client.prototype.createStringIndex = function createStringIndex(this: Client, options: Omit<IndexOptions, 'datatype'>, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob> {
  return this.createIndex({ ...options, datatype: indexDataType.STRING }, policy, callback)
}

Client.prototype.createBlobIndex = function createBlobIndex(this: Client, options: Omit<IndexOptions, 'datatype'>, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob> {
  return this.createIndex({ ...options, datatype: indexDataType.BLOB }, policy, callback)
}

Client.prototype.createGeo2DSphereIndex = function createGeo2DSphereIndex(this: Client, options: Omit<IndexOptions, 'datatype'>, policy?: unknown, callback?: Callback<IndexJob>): Promise<IndexJob> {
  return this.createIndex({ ...options, datatype: indexDataType.GEO2DSPHERE }, policy, callback)
}

Client.prototype.indexRemove = function indexRemove(this: Client, ns: string, index: string, policy?: unknown, callback?: Callback<void>): Promise<void> {
  if (typeof policy === 'function') [policy, callback] = [null, policy as Callback<void>]
  return settle(Promise.resolve().then(() => indexes.indexRemove(this, ns, index, policy as never)).catch(rethrowInput), callback)
}
