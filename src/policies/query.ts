/**
 * Policies of queries and scans.
 * @module
 */
import { BasePolicy, copyFields, type BasePolicyOptions } from './base'

/** Constructor argument of {@link QueryPolicy}. */
export interface QueryPolicyOptions extends BasePolicyOptions {
  replica?: number
  deserialize?: boolean
  failOnClusterChange?: boolean
  infoTimeout?: number
  expectedDuration?: number
}

/** Policy of a query. */
export class QueryPolicy extends BasePolicy {
  declare replica?: number
  declare deserialize?: boolean
  /** Fail the query when the cluster changes while it runs. */
  declare failOnClusterChange?: boolean
  /** Timeout of the cluster-stable info check, ms. */
  declare infoTimeout?: number
  /** `policy.queryDuration`. */
  declare expectedDuration?: number

  constructor(props?: QueryPolicyOptions | null) {
    super(props)
    copyFields(this, props, ['replica', 'deserialize', 'failOnClusterChange', 'infoTimeout', 'expectedDuration'])
  }
}

/** Constructor argument of {@link ScanPolicy}. */
export interface ScanPolicyOptions extends BasePolicyOptions {
  replica?: number
  durableDelete?: boolean
  recordsPerSecond?: number
  maxRecords?: number
}

/** Policy of a scan. */
export class ScanPolicy extends BasePolicy {
  declare replica?: number
  declare durableDelete?: boolean
  /** Limit of records the server returns per second (0 = none). */
  declare recordsPerSecond?: number
  /** Approximate limit of records returned (0 = none). */
  declare maxRecords?: number

  constructor(props?: ScanPolicyOptions | null) {
    super(props)
    copyFields(this, props, ['replica', 'durableDelete', 'recordsPerSecond', 'maxRecords'])
  }
}
