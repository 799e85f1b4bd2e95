/**
 * Policies of the single-record commands: read, write, apply, operate, remove.
 * @module
 */
import { BasePolicy, copyFields, type BasePolicyOptions } from './base'

/** Constructor argument of {@link ReadPolicy}. */
export interface ReadPolicyOptions extends BasePolicyOptions {
  /** `policy.key` (reads do not use it). */
  key?: number
  replica?: number
  /** `policy.readModeAP`. */
  readModeAP?: number
  /** `policy.readModeSC`. */
  readModeSC?: number
  /** Percent of the TTL after which a read also resets the TTL (0 = never, -1 = no reset). */
  readTouchTtlPercent?: number
  /** Decode list and map bins into JS values. */
  deserialize?: boolean
}

/** The fields of {@link ReadPolicyOptions}. */
export interface ReadPolicy extends ReadPolicyOptions {}

/** Policy of `get`, `select`, `exists`. */
export class ReadPolicy extends BasePolicy {
  constructor(props?: ReadPolicyOptions | null) {
    super(props)
    copyFields(this, props, ['key', 'replica', 'readModeAP', 'readModeSC', 'readTouchTtlPercent', 'deserialize'])
  }
}

/** Constructor argument of {@link WritePolicy}. */
export interface WritePolicyOptions extends BasePolicyOptions {
  replica?: number
  /** Compress requests larger than this many bytes (accepted for compatibility). */
  compressionThreshold?: number
  /** `policy.key`: `SEND` stores the user key with the record. */
  key?: number
  /** `policy.gen`: generation check against `meta.gen`. */
  gen?: number
  /** `policy.exists`: what to do when the record exists / does not exist. */
  exists?: number
  /** `policy.commitLevel`. */
  commitLevel?: number
  /** Leave a tombstone on delete (Enterprise servers). */
  durableDelete?: boolean
  /** In a transaction, only lock the record (fail when it exists). */
  onLockingOnly?: boolean
  /**
   * Default TTL in seconds when `meta.ttl` is not given or is `ttl.CLIENT_DEFAULT` (an extension
   * of this client; the official class drops it).
   */
  ttl?: number
}

/** The fields of {@link WritePolicyOptions}. */
export interface WritePolicy extends WritePolicyOptions {}

/** Policy of `put` and the other writes. */
export class WritePolicy extends BasePolicy {
  constructor(props?: WritePolicyOptions | null) {
    super(props)
    copyFields(this, props, ['replica', 'compressionThreshold', 'key', 'gen', 'exists', 'commitLevel', 'durableDelete', 'onLockingOnly', 'ttl'])
  }
}

/** Constructor argument of {@link ApplyPolicy}. */
export interface ApplyPolicyOptions extends BasePolicyOptions {
  replica?: number
  key?: number
  commitLevel?: number
  /** TTL of the records the UDF writes, seconds. */
  ttl?: number
  durableDelete?: boolean
  onLockingOnly?: boolean
}

/** The fields of {@link ApplyPolicyOptions}. */
export interface ApplyPolicy extends ApplyPolicyOptions {}

/** Policy of `apply` (record UDFs). */
export class ApplyPolicy extends BasePolicy {
  constructor(props?: ApplyPolicyOptions | null) {
    super(props)
    copyFields(this, props, ['replica', 'key', 'commitLevel', 'ttl', 'durableDelete', 'onLockingOnly'])
  }
}

/** Constructor argument of {@link OperatePolicy}. */
export interface OperatePolicyOptions extends BasePolicyOptions {
  key?: number
  gen?: number
  exists?: number
  replica?: number
  commitLevel?: number
  deserialize?: boolean
  durableDelete?: boolean
  readModeAP?: number
  readModeSC?: number
  readTouchTtlPercent?: number
  /** Default TTL in seconds (an extension of this client). */
  ttl?: number
}

/** The fields of {@link OperatePolicyOptions}. */
export interface OperatePolicy extends OperatePolicyOptions {}

/** Policy of `operate`, `append`, `prepend`, `add`. */
export class OperatePolicy extends BasePolicy {
  constructor(props?: OperatePolicyOptions | null) {
    super(props)
    copyFields(this, props, ['key', 'gen', 'exists', 'replica', 'commitLevel', 'deserialize', 'durableDelete', 'readModeAP', 'readModeSC', 'readTouchTtlPercent', 'ttl'])
  }
}

/** Constructor argument of {@link RemovePolicy}. */
export interface RemovePolicyOptions extends BasePolicyOptions {
  replica?: number
  /** Expected generation, used with `gen: policy.gen.EQ`. */
  generation?: number
  key?: number
  gen?: number
  commitLevel?: number
  durableDelete?: boolean
}

/** The fields of {@link RemovePolicyOptions}. */
export interface RemovePolicy extends RemovePolicyOptions {
  onLockingOnly?: boolean
}

/** Policy of `remove`. */
export class RemovePolicy extends BasePolicy {
  constructor(props?: RemovePolicyOptions | null) {
    super(props)
    copyFields(this, props, ['replica', 'generation', 'key', 'gen', 'commitLevel', 'durableDelete'])
  }
}
