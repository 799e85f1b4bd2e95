/**
 * Process-wide settings of the official API: default logging, HyperLogLog wrapping, and the
 * event-loop release (nothing to release here: the addon holds no libuv handle that keeps the
 * process alive). The global command queue is in `command_queue.ts`: the value codec reads
 * `hllWrapping()` from here, and must not reach the policies through it.
 * @module
 */
import { writeSync } from 'node:fs'
import { log, setLogHandler } from './logging'

/** `Aerospike.setDefaultLogging()` argument: a level from {@link log}, and a file descriptor. */
export interface Log {
  level?: number | null
  /** An open file descriptor the log lines go to. @default 2 (stderr) */
  file?: number | null
}

const LEVEL_NAMES = ['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE']

/** Makes a log configuration current: records at or above `level` are written to `file`. */
export function applyLogging(logInfo: Log | null | undefined): void {
  if (logInfo === undefined || logInfo === null) return
  if (typeof logInfo !== 'object') throw new TypeError('log must be an object with level and file')
  const level = logInfo.level ?? log.INFO
  if (!Number.isInteger(level) || level < log.OFF || level > log.TRACE) throw new TypeError('log.level must be one of Aerospike.log.*')
  const fd = logInfo.file ?? 2
  if (!Number.isInteger(fd) || fd < 0) throw new TypeError('log.file must be a file descriptor')
  if (level === log.OFF) {
    setLogHandler(null)
    return
  }
  setLogHandler((l, target, message) => {
    try {
      writeSync(fd, `${new Date().toISOString()} ${LEVEL_NAMES[l] ?? l} [${target}] ${message}\n`)
    } catch {
      // A closed descriptor must not take the process down.
    }
  }, level)
}

/** Sets the logging of every client created afterwards without its own `log` config. */
export function setDefaultLogging(logInfo: Log): void {
  applyLogging(logInfo)
}

let hllWrapped = false

/** Whether HLL bins read from the server come back as {@link HyperLogLog} (else as Buffers). */
export function wrapHLL(enable: boolean): void {
  if (typeof enable !== 'boolean') throw new Error('wrapHLL requires exactly one boolean argument')
  hllWrapped = enable
}

/** @internal */
export function hllWrapping(): boolean {
  return hllWrapped
}

/** Nothing to release: the addon keeps no handle open that would keep the process alive. */
export function releaseEventLoop(): void {}

/** Prints a command's error or result to the console (the official examples' helper). */
export function print(err: Error | null | undefined, result?: unknown): void {
  if (err) console.error('Error:', err.message)
  else console.info('Result:', result)
}
