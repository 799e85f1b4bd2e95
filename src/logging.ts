/**
 * Log records of the client's Rust core, routed to a function of yours.
 *
 * ```ts
 * setLogHandler((level, target, message) => console.log(level, target, message), log.INFO)
 * ```
 * @module
 */
import { native } from './native'

/** Log levels, with the official client's numbering. */
export const log = Object.freeze({ OFF: -1, ERROR: 0, WARN: 1, INFO: 2, DEBUG: 3, TRACE: 4, DETAIL: 4 })
/** The values of `log`, as a type (the official client declares `log` as an enum). */
export type log = (typeof log)[keyof typeof log]

/** The forwarder of the handler in force; records reaching any other one are stale. */
let current: ((...args: unknown[]) => void) | null = null

/** Receives one log record: its level (see {@link log}), the module it came from, the text. */
export type LogHandler = (level: number, target: string, message: string) => void

/**
 * Routes log records at or above `level` (default `log.INFO`) to `handler`; `null` turns logging
 * off. One handler per process; a later call replaces it. The handler runs on the JavaScript
 * thread and never keeps the process alive.
 */
export function setLogHandler(handler: LogHandler | null, level: number = log.INFO): void {
  if (handler !== null && typeof handler !== 'function') throw new TypeError('log handler must be a function or null')
  if (!Number.isInteger(level) || level < -1 || level > 4) throw new TypeError('log level must be one of log.OFF … log.TRACE')
  if (handler === null) {
    current = null
    native.setLogHandler(undefined, level)
    return
  }
  // Depending on the binding, the record arrives as three arguments or as one tuple.
  const forward = (...args: unknown[]) => {
    // Records already queued for a handler that was replaced or turned off since are dropped.
    if (current !== forward) return
    const [l, t, m] = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as [number, string, string]
    try {
      handler(l, t, m)
    } catch {
      // A throwing handler must not take the process down.
    }
  }
  current = forward
  native.setLogHandler(forward as never, level)
}
