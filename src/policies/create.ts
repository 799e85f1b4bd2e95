/**
 * `policy.createPolicy(type, values)`: a policy class instance from a policy type name.
 * @module
 */
import { ListPolicy } from '../lists'
import { MapPolicy } from '../maps'
import { HLLPolicy } from '../hll'
import { BasePolicy } from './base'
import { ApplyPolicy, OperatePolicy, ReadPolicy, RemovePolicy, WritePolicy } from './command'
import { BatchApplyPolicy, BatchPolicy, BatchReadPolicy, BatchRemovePolicy, BatchWritePolicy } from './batch'
import { QueryPolicy, ScanPolicy } from './query'
import { AdminPolicy, CommandQueuePolicy, InfoPolicy } from './misc'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PolicyClass = new (props?: any) => object

const CLASSES = new Map<string, PolicyClass>([
  ['base', BasePolicy],
  ['apply', ApplyPolicy],
  ['batch', BatchPolicy],
  ['operate', OperatePolicy],
  ['query', QueryPolicy],
  ['read', ReadPolicy],
  ['remove', RemovePolicy],
  ['scan', ScanPolicy],
  ['write', WritePolicy],
  ['batchRead', BatchReadPolicy],
  ['batchRemove', BatchRemovePolicy],
  ['batchWrite', BatchWritePolicy],
  ['batchParentWrite', BatchPolicy],
  ['txnRoll', BatchPolicy],
  ['txnVerify', BatchPolicy],
  ['batchApply', BatchApplyPolicy],
  ['commandQueue', CommandQueuePolicy],
  ['hll', HLLPolicy],
  ['info', InfoPolicy],
  ['list', ListPolicy],
  ['map', MapPolicy],
  ['admin', AdminPolicy],
])

/**
 * @internal Adds a policy type to {@link createPolicy} (the metrics policy registers itself
 * this way, from its own module).
 */
export function registerPolicyClass(type: string, klass: PolicyClass): void {
  CLASSES.set(type, klass)
}

/** @internal The class of a policy type name; TypeError for an unknown one. */
export function policyClass(type: string): PolicyClass {
  const klass = typeof type === 'string' ? CLASSES.get(type) : undefined
  if (!klass) throw new TypeError(`Unknown policy type: "${String(type)}"`)
  return klass
}

/**
 * Creates a policy of the given type (`'read'`, `'write'`, `'batch'`, `'query'` …) from plain
 * values; an instance of the right class is returned as is, and `null` / `undefined` give
 * `undefined`.
 */
export function createPolicy(type: string, values: unknown): object | undefined {
  if (values === null || values === undefined) return undefined
  const Klass = policyClass(type)
  if (values instanceof Klass) return values
  return new Klass(values)
}
