/**
 * Policies of batch commands: the batch as a whole and each kind of row.
 * @module
 */
import type { AerospikeExp } from '../exp/core'
import { BasePolicy, copyFields, type BasePolicyOptions } from './base'

/** Constructor argument of {@link BatchPolicy}. */
export interface BatchPolicyOptions extends BasePolicyOptions {
  replica?: number
  readModeAP?: number
  readModeSC?: number
  readTouchTtlPercent?: number
  /** Send the requests to the nodes at once (`true`) or one node after another. */
  concurrent?: boolean
  /** Let the server process in-memory rows inline on its service thread. */
  allowInline?: boolean
  /** Let the server process SSD rows inline. */
  allowInlineSSD?: boolean
  /** Report every key's result, even after a row fails. */
  respondAllKeys?: boolean
  /** Send the set name of each row. */
  sendSetName?: boolean
  deserialize?: boolean
}

/** The fields of {@link BatchPolicyOptions}. */
export interface BatchPolicy extends BatchPolicyOptions {}

/** Policy of a whole batch (`batchRead`, `batchWrite`, `batchGet` …). */
export class BatchPolicy extends BasePolicy {
  constructor(props?: BatchPolicyOptions | null) {
    super(props)
    copyFields(this, props, ['replica', 'readModeAP', 'readModeSC', 'readTouchTtlPercent', 'concurrent', 'allowInline', 'allowInlineSSD', 'respondAllKeys', 'sendSetName', 'deserialize'])
  }
}

/** Constructor argument of {@link BatchReadPolicy}. */
export interface BatchReadPolicyOptions {
  filterExpression?: AerospikeExp | string | null
  readModeAP?: number
  readModeSC?: number
  readTouchTtlPercent?: number
}

/** The fields of {@link BatchReadPolicyOptions}. */
export interface BatchReadPolicy extends BatchReadPolicyOptions {}

/** Policy of a batch read row. */
export class BatchReadPolicy {
  constructor(props?: BatchReadPolicyOptions | null) {
    copyFields(this, props, ['filterExpression', 'readModeAP', 'readModeSC', 'readTouchTtlPercent'])
  }
}

/** Constructor argument of {@link BatchWritePolicy}. */
export interface BatchWritePolicyOptions {
  filterExpression?: AerospikeExp | string | null
  ttl?: number
  key?: number
  commitLevel?: number
  gen?: number
  exists?: number
  durableDelete?: boolean
  onLockingOnly?: boolean
}

/** The fields of {@link BatchWritePolicyOptions}. */
export interface BatchWritePolicy extends BatchWritePolicyOptions {}

/** Policy of a batch write row. */
export class BatchWritePolicy {
  constructor(props?: BatchWritePolicyOptions | null) {
    copyFields(this, props, ['filterExpression', 'ttl', 'key', 'commitLevel', 'gen', 'exists', 'durableDelete', 'onLockingOnly'])
  }
}

/** Constructor argument of {@link BatchApplyPolicy}. */
export interface BatchApplyPolicyOptions {
  filterExpression?: AerospikeExp | string | null
  key?: number
  commitLevel?: number
  ttl?: number
  durableDelete?: boolean
  onLockingOnly?: boolean
}

/** The fields of {@link BatchApplyPolicyOptions}. */
export interface BatchApplyPolicy extends BatchApplyPolicyOptions {}

/** Policy of a batch UDF row. */
export class BatchApplyPolicy {
  constructor(props?: BatchApplyPolicyOptions | null) {
    copyFields(this, props, ['filterExpression', 'key', 'commitLevel', 'ttl', 'durableDelete', 'onLockingOnly'])
  }
}

/** Constructor argument of {@link BatchRemovePolicy}. */
export interface BatchRemovePolicyOptions {
  filterExpression?: AerospikeExp | string | null
  key?: number
  commitLevel?: number
  gen?: number
  generation?: number
  durableDelete?: boolean
}

/** The fields of {@link BatchRemovePolicyOptions}. */
export interface BatchRemovePolicy extends BatchRemovePolicyOptions {}

/** Policy of a batch remove row. */
export class BatchRemovePolicy {
  constructor(props?: BatchRemovePolicyOptions | null) {
    copyFields(this, props, ['filterExpression', 'key', 'commitLevel', 'gen', 'generation', 'durableDelete'])
  }
}
