/**
 * The official client's policy classes (`new Aerospike.WritePolicy({...})`), constants and
 * `createPolicy`. Instances are accepted wherever a plain policy object is.
 * @module
 */
export { BasePolicy, readModeAP, readModeSC, commitLevel, queryDuration, type BasePolicyOptions } from './base'
export {
  ReadPolicy,
  WritePolicy,
  ApplyPolicy,
  OperatePolicy,
  RemovePolicy,
  type ReadPolicyOptions,
  type WritePolicyOptions,
  type ApplyPolicyOptions,
  type OperatePolicyOptions,
  type RemovePolicyOptions,
} from './command'
export {
  BatchPolicy,
  BatchReadPolicy,
  BatchWritePolicy,
  BatchApplyPolicy,
  BatchRemovePolicy,
  type BatchPolicyOptions,
  type BatchReadPolicyOptions,
  type BatchWritePolicyOptions,
  type BatchApplyPolicyOptions,
  type BatchRemovePolicyOptions,
} from './batch'
export { QueryPolicy, ScanPolicy, type QueryPolicyOptions, type ScanPolicyOptions } from './query'
export { InfoPolicy, AdminPolicy, CommandQueuePolicy, type InfoPolicyOptions, type AdminPolicyOptions, type CommandQueuePolicyOptions } from './misc'
export { createPolicy, registerPolicyClass } from './create'
