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
  concurrent?: boolean
  allowInline?: boolean
  allowInlineSSD?: boolean
  respondAllKeys?: boolean
  sendSetName?: boolean
  deserialize?: boolean
}

/** Policy of a whole batch (`batchRead`, `batchWrite`, `batchGet` …). */
export class BatchPolicy extends BasePolicy {
  declare replica?: number
  declare readModeAP?: number
  declare readModeSC?: number
  declare readTouchTtlPercent?: number
  /** Send the requests to the nodes at once (`true`) or one node after another. */
  declare concurrent?: boolean
  /** Let the server process in-memory rows inline on its service thread. */
  declare allowInline?: boolean
  /** Let the server process SSD rows inline. */
  declare allowInlineSSD?: boolean
  /** Report every key's result, even after a row fails. */
  declare respondAllKeys?: boolean
  /** Send the set name of each row. */
  declare sendSetName?: boolean
  declare deserialize?: boolean

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

/** Policy of a batch read row. */
export class BatchReadPolicy {
  declare filterExpression?: AerospikeExp | string | null
  declare readModeAP?: number
  declare readModeSC?: number
  declare readTouchTtlPercent?: number

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

/** Policy of a batch write row. */
export class BatchWritePolicy {
  declare filterExpression?: AerospikeExp | string | null
  declare ttl?: number
  declare key?: number
  declare commitLevel?: number
  declare gen?: number
  declare exists?: number
  declare durableDelete?: boolean
  declare onLockingOnly?: boolean

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

/** Policy of a batch UDF row. */
export class BatchApplyPolicy {
  declare filterExpression?: AerospikeExp | string | null
  declare key?: number
  declare commitLevel?: number
  declare ttl?: number
  declare durableDelete?: boolean
  declare onLockingOnly?: boolean

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

/** Policy of a batch remove row. */
export class BatchRemovePolicy {
  declare filterExpression?: AerospikeExp | string | null
  declare key?: number
  declare commitLevel?: number
  declare gen?: number
  declare generation?: number
  declare durableDelete?: boolean

  constructor(props?: BatchRemovePolicyOptions | null) {
    copyFields(this, props, ['filterExpression', 'key', 'commitLevel', 'gen', 'generation', 'durableDelete'])
  }
}
