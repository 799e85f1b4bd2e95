/**
 * aerospike-napi: a fast Aerospike client for Node.js (Rust core) with the official client's
 * API, columnar batch reads, and an embedded Aerospike-compatible server.
 * @module
 */
import { Client, settle, type Callback } from './client'
import type { ConfigOptions } from './config'
// Each adds its family of methods to Client.prototype (see the `declare module './client'` in each).
import './client_batch'
import './client_query'
import './client_udf'
import './client_stats'
import './client_info'
import './client_misc'
import './client_admin'
import './client_txn'

export { Client, type BinOpArgs, type ClusterEvent } from './client'
export type { Callback }
export { Config, type ConfigOptions, type ConfigPolicies, type Host, type Policies, type TLSInfo, type ConfigProvider, type ModLua, type SharedMemory } from './config'
export { AerospikeError, type ErrorInfo } from './errors'
export { Key, type UserKey, type KeyOptions } from './key'
export { AerospikeRecord, AerospikeRecord as Record } from './record'
export { status, STATUS_TABLE, type StatusName, type StatusCodes } from './status'
export { HyperLogLog } from './hyperloglog'
export { Bin } from './bin'
export { Double, GeoJSON, type GeoShape, type GeoJSONType, type NumberArray, type AerospikeValue, type Bins, type Bins as AerospikeBins } from './values'
export { ttl, type RecordMetadata } from './policy'
export { BasePolicy, ReadPolicy, WritePolicy, ApplyPolicy, OperatePolicy, RemovePolicy, BatchPolicy, BatchReadPolicy, BatchWritePolicy, BatchApplyPolicy, BatchRemovePolicy, QueryPolicy, ScanPolicy, InfoPolicy, AdminPolicy, CommandQueuePolicy } from './policies'
export type { BasePolicyOptions, ReadPolicyOptions, WritePolicyOptions, ApplyPolicyOptions, OperatePolicyOptions, RemovePolicyOptions, BatchPolicyOptions, BatchReadPolicyOptions, BatchWritePolicyOptions, BatchApplyPolicyOptions, BatchRemovePolicyOptions, QueryPolicyOptions, ScanPolicyOptions, InfoPolicyOptions, AdminPolicyOptions, CommandQueuePolicyOptions } from './policies'
export * as policy from './policy'
export * as operations from './operations'
export type { Operation, ScalarOperation } from './operations'
export * as lists from './lists'
export * as maps from './maps'
export * as bitwise from './bitwise'
export * as hll from './hll'
export * as cdt from './cdt_context'
export { ListPolicy, ListOperation, InvertibleListOp } from './lists'
export { MapPolicy, MapOperation, type MapKey } from './maps'
export { BitwisePolicy, BitwiseOperation, OverflowableBitwiseOp } from './bitwise'
export { HLLPolicy, HLLOperation } from './hll'
export { CdtOperation } from './cdt_operation'
export * as exp from './exp'
export { AerospikeExp, ExpOperation, regex } from './exp'
export { batchType, MAX_BATCH_ROWS, type BatchReadRecord, type BatchWriteRecord, type BatchResult, type BatchSelectRecord } from './batch'
export type { ColumnType, ColumnSpec, ColumnarResult, ArrayFor } from './columnar'
export { StringColumn, BytesColumn, ListColumn } from './columnar'
export type { WriteColumn } from './columnar_write'
export { toArrowTable, toArrowIPC, type ArrowOptions, type ArrowIPCOptions, type ArrowTable } from './arrow'
export { startServer, startCluster, type ServerOptions, type EmbeddedServer, type Fault, type FaultTarget, type ServerFaults, type ClusterOptions, type EmbeddedCluster, type SecurityOptions, type SecurityUser, type ServerTlsOptions } from './server'
export * as filter from './filter'
export { indexType, type Filter, type IndexType } from './filter'
export { Query, Scan, RecordStream, type QueryOptions, type ScanOptions, type QueryRunPolicy, type ColumnsOptions } from './query'
export type { ScanColumns } from './columnar_scan'
export { IndexJob, indexDataType, type IndexDataType, type IndexOptions, type ExpIndexOptions } from './indexes'
export { Job, UdfJob, type UDF } from './udf'
export type { JobInfoResponse } from './job'
export { LATENCY_BUCKETS_MS, type ClientStats, type NodeStats, type CommandKindStats, type ConnectionCounts } from './metrics'
export { MetricsPolicy, MetricsListeners, type MetricsPolicyOptions, type MetricsListenersOptions, type enableListener, type snapshotListener, type nodeCloseListener, type disableListener } from './metrics_policy'
export type { Cluster, Node, NamespaceMetrics, ConnectionStats, EventLoop } from './metrics_cluster'
export { log, setLogHandler, type LogHandler } from './logging'
export * as info from './info'
export type { NodeInfo, InfoAllResponse } from './client_info'
export type { ExpIndexShortcut } from './client_misc'
export { Transaction, transactionPool as _transactionPool, type TransactionPool } from './transaction'
export * as admin from './admin'
export type { AdminPolicyLike } from './client_admin'
export { features, jobStatus, auth, language, commitStatus, abortStatus, privilegeCode } from './enums'
export { setDefaultLogging, wrapHLL, releaseEventLoop, print, type Log } from './module_setup'
export { setupGlobalCommandQueue } from './command_queue'

/** Creates a client without connecting it (call `.connect()`). */
export function client(config: ConfigOptions = {}): Client {
  return new Client(config)
}

/** Creates a client and connects it. */
export function connect(config: ConfigOptions = {}, callback?: Callback<Client>): Promise<Client> {
  let c: Client
  try {
    c = new Client(config)
  } catch (e) {
    return settle(Promise.reject(e), callback)
  }
  return c.connect(callback)
}
