/**
 * Policies of the single-record commands: read, write, apply, operate, remove.
 * @module
 */
import { BasePolicy, copyFields, type BasePolicyOptions } from './base'

/** Constructor argument of {@link ReadPolicy}. */
export interface ReadPolicyOptions extends BasePolicyOptions {
  key?: number
  replica?: number
  readModeAP?: number
  readModeSC?: number
  readTouchTtlPercent?: number
  deserialize?: boolean
}

/** Policy of `get`, `select`, `exists`. */
export class ReadPolicy extends BasePolicy {
  /** `policy.key` (reads do not use it). */
  declare key?: number
  declare replica?: number
  /** `policy.readModeAP`. */
  declare readModeAP?: number
  /** `policy.readModeSC`. */
  declare readModeSC?: number
  /** Percent of the TTL after which a read also resets the TTL (0 = never, -1 = no reset). */
  declare readTouchTtlPercent?: number
  /** Decode list and map bins into JS values. */
  declare deserialize?: boolean

  constructor(props?: ReadPolicyOptions | null) {
    super(props)
    copyFields(this, props, ['key', 'replica', 'readModeAP', 'readModeSC', 'readTouchTtlPercent', 'deserialize'])
  }
}

/** Constructor argument of {@link WritePolicy}. */
export interface WritePolicyOptions extends BasePolicyOptions {
  replica?: number
  compressionThreshold?: number
  key?: number
  gen?: number
  exists?: number
  commitLevel?: number
  durableDelete?: boolean
  onLockingOnly?: boolean
  /** Default TTL in seconds (an extension of this client; the official class drops it). */
  ttl?: number
}

/** Policy of `put` and the other writes. */
export class WritePolicy extends BasePolicy {
  declare replica?: number
  /** Compress requests larger than this many bytes (accepted for compatibility). */
  declare compressionThreshold?: number
  /** `policy.key`: `SEND` stores the user key with the record. */
  declare key?: number
  /** `policy.gen`: generation check against `meta.gen`. */
  declare gen?: number
  /** `policy.exists`: what to do when the record exists / does not exist. */
  declare exists?: number
  /** `policy.commitLevel`. */
  declare commitLevel?: number
  /** Leave a tombstone on delete (Enterprise servers). */
  declare durableDelete?: boolean
  /** In a transaction, only lock the record (fail when it exists). */
  declare onLockingOnly?: boolean
  /** Default TTL in seconds when `meta.ttl` is not given or is `ttl.CLIENT_DEFAULT`. */
  declare ttl?: number

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
  ttl?: number
  durableDelete?: boolean
  onLockingOnly?: boolean
}

/** Policy of `apply` (record UDFs). */
export class ApplyPolicy extends BasePolicy {
  declare replica?: number
  declare key?: number
  declare commitLevel?: number
  /** TTL of the records the UDF writes, seconds. */
  declare ttl?: number
  declare durableDelete?: boolean
  declare onLockingOnly?: boolean

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

/** Policy of `operate`, `append`, `prepend`, `add`. */
export class OperatePolicy extends BasePolicy {
  declare key?: number
  declare gen?: number
  declare exists?: number
  declare replica?: number
  declare commitLevel?: number
  declare deserialize?: boolean
  declare durableDelete?: boolean
  declare readModeAP?: number
  declare readModeSC?: number
  declare readTouchTtlPercent?: number
  declare ttl?: number

  constructor(props?: OperatePolicyOptions | null) {
    super(props)
    copyFields(this, props, ['key', 'gen', 'exists', 'replica', 'commitLevel', 'deserialize', 'durableDelete', 'readModeAP', 'readModeSC', 'readTouchTtlPercent', 'ttl'])
  }
}

/** Constructor argument of {@link RemovePolicy}. */
export interface RemovePolicyOptions extends BasePolicyOptions {
  replica?: number
  generation?: number
  key?: number
  gen?: number
  commitLevel?: number
  durableDelete?: boolean
}

/** Policy of `remove`. */
export class RemovePolicy extends BasePolicy {
  declare replica?: number
  /** Expected generation, used with `gen: policy.gen.EQ`. */
  declare generation?: number
  declare key?: number
  declare gen?: number
  declare commitLevel?: number
  declare durableDelete?: boolean
  declare onLockingOnly?: boolean

  constructor(props?: RemovePolicyOptions | null) {
    super(props)
    copyFields(this, props, ['replica', 'generation', 'key', 'gen', 'commitLevel', 'durableDelete'])
  }
}
