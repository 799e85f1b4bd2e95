import { inject } from 'vitest'
import * as aerospike from '../index'

export { aerospike }
export const hosts = inject('hosts')
export const embedded = inject('embedded')
export const NS = 'test'

let counter = 0
/** A set name no other test uses. */
export function uniqueSet(prefix = 't'): string {
  counter++
  return `${prefix}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 7)}`
}

/** A connected client against the test server. */
export async function connectClient(config: aerospike.Config = {}): Promise<aerospike.Client> {
  return (await aerospike.connect({ hosts, ...config })) as aerospike.Client
}

/** Expects `p` to reject with an AerospikeError of the given code. */
export async function expectCode(p: Promise<unknown> | void, code: number): Promise<aerospike.AerospikeError> {
  try {
    await p
  } catch (e) {
    if (!(e instanceof aerospike.AerospikeError)) throw new Error(`expected AerospikeError ${code}, got ${String(e)}`)
    if (e.code !== code) throw new Error(`expected code ${code}, got ${e.code}: ${e.message}`)
    return e
  }
  throw new Error(`expected rejection with code ${code}, but it resolved`)
}
