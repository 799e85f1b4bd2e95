import { status } from './status'

/** Status codes of errors that happen on the server (as opposed to in the client). */
function serverSide(code: number): boolean {
  return code > status.OK
}

/** What the official client's native layer reports for a failed command. */
export interface ErrorInfo {
  code?: number
  message?: string
  func?: string | null
  file?: string | null
  line?: number | string | null
  inDoubt?: boolean
}

/**
 * The one error class for every failure of a command: server result codes and client-side
 * failures alike. `code` is the official numeric status (see {@link status}).
 *
 * Constructed as the official client's: `new AerospikeError(message?, command?)` gives an error
 * with code `ERR_CLIENT` that keeps a reference to the command (and takes over its stack trace
 * when the command has one). Inside this package it is also built as
 * `new AerospikeError(message, code, inDoubt?, { cause }?)`.
 */
export class AerospikeError extends Error {
  /** Numeric status code (`status.ERR_RECORD_NOT_FOUND`, …). */
  code: number
  /** The command during which the error occurred, if known. */
  command: any | null // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Name of the native function in which the error occurred (the official client's C
   * function; not known here). */
  func: string | null
  /** Source file in which the error occurred (not known here). */
  file: string | null
  /** Line in {@link file} at which the error occurred (not known here). */
  line: number | null
  /** True when a write may have been applied even though the command failed (for example it
   * timed out after being sent). */
  inDoubt: boolean

  constructor(message?: string, command?: any) // eslint-disable-line @typescript-eslint/no-explicit-any
  constructor(message: string, code: number, inDoubt?: boolean, options?: { cause?: unknown })
  constructor(message?: string, codeOrCommand?: unknown, inDoubt = false, options?: { cause?: unknown }) {
    super(message ?? '', options)
    this.name = new.target.name
    const command = typeof codeOrCommand === 'number' ? null : (codeOrCommand ?? null)
    this.code = typeof codeOrCommand === 'number' ? codeOrCommand : status.ERR_CLIENT
    this.command = command
    this.func = null
    this.file = null
    this.line = null
    this.inDoubt = Boolean(inDoubt)
    const stack = command !== null && typeof command === 'object' ? (command as { stack?: unknown }).stack : undefined
    if (typeof stack === 'string' && stack) this.adoptStack(stack)
  }

  /**
   * The error for what the native layer reported (`{ code, message, func, file, line,
   * inDoubt }`): `null` when there is none or its code is `OK`, an `AerospikeError` unchanged.
   * `AEROSPIKE_*` status names in the message become their descriptive messages.
   */
  static fromASError(asError: AerospikeError | ErrorInfo | Error | null | undefined, command?: unknown): AerospikeError | null {
    if (!asError) return null
    if (asError instanceof AerospikeError) return asError
    const info = asError as ErrorInfo
    if (info.code === status.OK) return null
    const error = new AerospikeError(AerospikeError.formatMessage(info.message, info.code as number) as string, command ?? null)
    AerospikeError.copyASErrorProperties(error, info)
    return error
  }

  /** Copies code, inDoubt, func, file and line from a native error report. */
  static copyASErrorProperties(target: AerospikeError, source: ErrorInfo | Error): void {
    const info = source as ErrorInfo
    target.code = info.code as number
    target.inDoubt = info.inDoubt as boolean
    target.func = info.func as string | null
    target.file = info.file as string | null
    target.line = Number.parseInt(String(info.line), 10)
  }

  /** Replaces the first `AEROSPIKE_*` status name in a message by the code's message. */
  static formatMessage(message: string | undefined, code: number): string | undefined {
    return message ? message.replace(/AEROSPIKE_[A-Z_]+/, () => status.getMessage(code)) : message
  }

  /** Takes over a stack trace, with this error's name and message as its first line. */
  private adoptStack(stack: string): void {
    const first = `${this.name}: ${this.message}`
    Object.defineProperty(this, 'stack', { value: stack.replace(/^.*$/m, () => first), configurable: true, writable: true })
  }

  /** @internal Official name of {@link adoptStack}. */
  setStackTrace(stack: string): void {
    this.adoptStack(stack)
  }

  /** Whether the server reported this error (rather than the client). */
  isServerError(): boolean {
    return serverSide(this.code)
  }

  /** The client of the command that failed, if the error knows its command. */
  get client(): unknown {
    return this.command ? (this.command as { client?: unknown }).client : undefined
  }
}

/** The fields of an error raised by the native binding (`crates/napi/src/error.rs`). */
export interface NativeErrorFields {
  code: number
  inDoubt: boolean
  message: string
}

/**
 * The fields a native error carries — its own `code` (a number) and `inDoubt` properties, set
 * by the binding — or `undefined` for an error that did not come from the binding's error
 * mapping (napi-rs's own errors have a string `code`).
 */
export function nativeErrorFields(err: unknown): NativeErrorFields | undefined {
  if (!(err instanceof Error)) return undefined
  const { code, inDoubt } = err as { code?: unknown; inDoubt?: unknown }
  if (typeof code !== 'number' || typeof inDoubt !== 'boolean') return undefined
  return { code, inDoubt, message: err.message }
}

/**
 * The `AerospikeError` for a native failure's fields. A server status without a message of its
 * own reads as the status's message (`AerospikeError.formatMessage`).
 */
export function fromFields(f: NativeErrorFields, cause: unknown): AerospikeError {
  const message = f.message ? (AerospikeError.formatMessage(f.message, f.code) as string) : status.getMessage(f.code)
  return new AerospikeError(message, f.code, f.inDoubt, { cause })
}

/**
 * Rebuilds an `AerospikeError` from an error raised by the native binding (see
 * {@link nativeErrorFields}), with that error as its `cause`. Anything else becomes a client
 * error.
 */
export function fromNative(err: unknown): Error {
  if (err instanceof AerospikeError || err instanceof TypeError) return err
  const f = nativeErrorFields(err)
  if (f) return fromFields(f, err)
  const raw = err instanceof Error ? err.message : String(err)
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
