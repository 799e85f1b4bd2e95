import { status } from './status'

/** Status codes of errors that happen on the server (as opposed to in the client). */
function serverSide(code: number): boolean {
  return code > 0
}

/**
 * The one error class for every failure of a command: server result codes and client-side
 * failures alike. `code` is the official numeric status (see {@link status}).
 */
export class AerospikeError extends Error {
  /** Numeric status code (`status.ERR_RECORD_NOT_FOUND`, …). */
  readonly code: number
  /** True when a write may have been applied even though the command failed (for example it
   * timed out after being sent). */
  readonly inDoubt: boolean

  constructor(message: string, code: number, inDoubt = false, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AerospikeError'
    this.code = code
    this.inDoubt = inDoubt
  }

  /** Whether the server reported this error (rather than the client). */
  isServerError(): boolean {
    return serverSide(this.code)
  }
}

/**
 * Rebuilds an `AerospikeError` from an error raised by the native binding, whose message is
 * `"<code>\u0001<inDoubt>\u0001<message>"`. Anything else becomes a client error.
 */
export function fromNative(err: unknown): Error {
  if (err instanceof AerospikeError || err instanceof TypeError) return err
  const raw = err instanceof Error ? err.message : String(err)
  const parts = raw.split('\u0001')
  if (parts.length >= 3) {
    const code = Number(parts[0])
    const detail = parts.slice(2).join('\u0001')
    const message = detail || status.getMessage(code)
    return new AerospikeError(message, code, parts[1] === '1', { cause: err })
  }
  return new AerospikeError(raw, status.ERR_CLIENT, false, { cause: err })
}

/**
 * An exception raised while reading the caller's arguments — a throwing getter or proxy, say —
 * becomes a `TypeError` (with the original as `cause`), so every bad argument surfaces as a
 * `TypeError` or an `AerospikeError`.
 */
export function inputError(e: unknown): Error {
  if (e instanceof TypeError || e instanceof AerospikeError) return e
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
  return new TypeError(`invalid argument: reading it threw ${what}`, { cause: e })
}
