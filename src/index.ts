/**
 * aerospike-napi: a fast Aerospike client for Node.js (Rust core) with the official client's
 * API, columnar batch reads, and an embedded Aerospike-compatible server.
 * @module
 */
import { Client } from './client'
import type { Config } from './config'

export { Client, type Callback } from './client'
export type { Config, Host, Policies } from './config'
export { AerospikeError } from './errors'
export { Key, type UserKey } from './key'
export { AerospikeRecord, AerospikeRecord as Record } from './record'
export { status, STATUS_TABLE } from './status'
export { Double, GeoJSON, type AerospikeValue, type Bins } from './values'
export { ttl, type BasePolicy, type ReadPolicy, type WritePolicy, type BatchPolicy, type RecordMetadata } from './policy'
export * as policy from './policy'
export * as operations from './operations'
export type { Operation } from './operations'
export { batchType, type BatchReadRecord, type BatchWriteRecord, type BatchResult } from './batch'
export type { ColumnType, ColumnSpec, ColumnarResult } from './columnar'
export { startServer, type ServerOptions, type EmbeddedServer } from './server'

/** Creates a client without connecting it (call `.connect()`). */
export function client(config: Config = {}): Client {
  return new Client(config)
}

/** Creates a client and connects it. */
export function connect(config: Config = {}, callback?: (err: Error | null, client?: Client) => void): Promise<Client> | void {
  let c: Client
  try {
    c = new Client(config)
  } catch (e) {
    if (typeof callback === 'function') {
      callback(e as Error)
      return
    }
    return Promise.reject(e)
  }
  return c.connect(callback)
}
