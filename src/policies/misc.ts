/**
 * Policies of the info and admin commands, and of the global command queue.
 * @module
 */
import { BasePolicy, copyFields, type BasePolicyOptions } from './base'

/** Constructor argument of {@link InfoPolicy}. */
export interface InfoPolicyOptions extends BasePolicyOptions {
  timeout?: number
  sendAsIs?: boolean
  checkBounds?: boolean
}

/** Policy of the info commands. */
export class InfoPolicy extends BasePolicy {
  /** Time limit, ms. */
  declare timeout?: number
  /** Send the request as given (no added newline). */
  declare sendAsIs?: boolean
  /** Check the request and response sizes. */
  declare checkBounds?: boolean

  constructor(props?: InfoPolicyOptions | null) {
    super()
    copyFields(this, props, ['timeoutDelay', 'timeout', 'sendAsIs', 'checkBounds'])
  }
}

/** Constructor argument of {@link AdminPolicy}. */
export interface AdminPolicyOptions extends BasePolicyOptions {
  timeout?: number
}

/** Policy of the user and role administration commands. */
export class AdminPolicy extends BasePolicy {
  /** Time limit, ms. */
  declare timeout?: number

  constructor(props?: AdminPolicyOptions | null) {
    super()
    copyFields(this, props, ['timeout'])
  }
}

/** Constructor argument of {@link CommandQueuePolicy}. */
export interface CommandQueuePolicyOptions extends BasePolicyOptions {
  maxCommandsInProcess?: number
  maxCommandsInQueue?: number
  queueInitialCapacity?: number
}

/** Limits of the global command queue (`setupGlobalCommandQueue`). */
export class CommandQueuePolicy extends BasePolicy {
  /** Commands in flight at once, across every client (0 = no limit). */
  declare maxCommandsInProcess?: number
  /** Commands that may wait for a slot before new ones fail with `ERR_ASYNC_QUEUE_FULL` (0 = no limit). */
  declare maxCommandsInQueue?: number
  /** Initial capacity of the queue. */
  declare queueInitialCapacity?: number

  constructor(props?: CommandQueuePolicyOptions | null) {
    super()
    copyFields(this, props, ['maxCommandsInProcess', 'maxCommandsInQueue', 'queueInitialCapacity'])
  }
}
