/**
 * The two calling conventions of every command: a promise, or a trailing Node-style callback.
 * @module
 */
import type { AerospikeError } from './errors'
import { inputError } from './errors'

/**
 * Node-style callback accepted by every command, typed as the official client's `TypedCallback`:
 * on success it is called with `null` and the result, on failure with the error alone.
 */
export type Callback<T> = (error?: AerospikeError, result?: T) => void

/**
 * Settles a command through its promise, or also through a trailing callback. With a callback
 * the returned promise never rejects (the callback receives the error), so nothing goes
 * unhandled. The callback runs outside the promise chain: an exception it throws is an uncaught
 * exception, as with the official client, not a lost rejection.
 *
 * `onError` gives what the callback receives with an error, as the official client's single
 * record commands do (the key for writes, a record holding the key for reads), so that
 * `client.get(key, (err, rec) => client.put(rec.key, …))` works after a failure too.
 */
export function settle<T>(p: Promise<T>, cb?: Callback<T>, onError?: () => T): Promise<T> {
  if (typeof cb !== 'function') return p
  return p.then(
    (v) => {
      process.nextTick(cb as unknown as (e: null, r: T) => void, null, v)
      return v
    },
    (e) => {
      if (onError) process.nextTick(cb, e, onError())
      else process.nextTick(cb, e)
      return undefined as T
    },
  )
}

/** Splits `(…args, callback?)` into the arguments and the callback. */
export function splitCallback(args: unknown[]): [unknown[], Callback<any> | undefined] {
  const last = args[args.length - 1]
  if (typeof last === 'function') return [args.slice(0, -1), last as Callback<any>]
  return [args, undefined]
}

/** Rethrows an argument error as the official client reports it. */
export const rethrowInput = (e: unknown): never => {
  throw inputError(e)
}
