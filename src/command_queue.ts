/**
 * The global command queue of the official API (`Aerospike.setupGlobalCommandQueue()`), shared
 * by every client of the process.
 * @module
 */
import { CommandQueuePolicy } from './policies/misc'

let commandQueue: CommandQueuePolicy | null = null

/** Configures the global command queue, shared by every client; call it before connecting. */
export function setupGlobalCommandQueue(policy: CommandQueuePolicy): void {
  if (policy === null || typeof policy !== 'object') throw new TypeError('command queue policy must be an object')
  commandQueue = new CommandQueuePolicy(policy)
}

/** @internal The global command queue's policy, if one was set up. */
export function globalCommandQueue(): CommandQueuePolicy | null {
  return commandQueue
}
