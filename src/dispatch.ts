/**
 * The JavaScript half of `crates/napi/src/dispatch.rs`. Single-record commands are encoded
 * straight into one submission buffer; every command issued in the same JavaScript turn goes
 * to Rust in one call (flushed from a microtask). Completions arrive in batches through one
 * wakeup, are decoded in place and settle their promises.
 *
 * A command is `begin()` (returns the writer to encode the request into), then `commit()`
 * (returns the promise). A command whose encoding throws is simply never committed: the next
 * `begin()` writes over it, or call `abort()`.
 * @module
 * @internal
 */
import { Reader, Writer } from './codec'
import { fromFields, fromNative } from './errors'
import { native } from './native'

import type { CommandStats, KindCounter } from './metrics'
import { LAT, type Measure } from './metrics_recorder'

type NativeClient = import('../native').NativeClient

/** Turns a successful result into the command's value; `arg` is what `commit()` was given. */
export type Decoder<T, A> = (r: Reader, arg: A) => T

class Pending {
  resolve: (v: any) => void = noop
  reject: (e: Error) => void = noop
  /** Set while `enableMetrics()` is on (per-namespace counters). */
  measure: Measure | undefined = undefined
  constructor(
    readonly decode: Decoder<unknown, any>,
    readonly arg: unknown,
    readonly counter: KindCounter | undefined,
    readonly t0: number,
    readonly mapErr: ((e: Error) => Error) | undefined,
  ) {}
}

function noop(): void {}

const pending = new Map<number, Pending>()
let nextId = 1

// The submission being gathered: entries `u32 id | u8 kind | u32 len | request` for `outClient`.
const INITIAL_SIZE = 16 * 1024
const out = new Writer(INITIAL_SIZE)
let outClient: NativeClient | null = null
/** End of the last committed entry. */
let committed = 0
/** Whether an entry is being encoded into `out`. */
let open = false
let flushQueued = false

const HEAD = 9

/**
 * Settles the completions waiting. The event-loop path hands them over: their length in the
 * inbox (a number), or a buffer of their own when they did not fit; the Tokio path's wakeup
 * passes nothing, and they are drained here.
 */
function onReady(drained?: Buffer | number): void {
  let buf: Buffer
  let end: number
  let r: Reader
  if (typeof drained === 'number' && inboxReader !== null) {
    r = inboxReader
    buf = r.buf
    end = drained
  } else {
    buf = drained instanceof Buffer ? drained : dispatcher.drain()
    end = buf.length
    r = new Reader(buf)
  }
  let pos = 0
  while (pos + HEAD <= end) {
    const id = buf.readUInt32LE(pos)
    const ok = buf[pos + 4] === 1
    const start = pos + HEAD
    pos = start + buf.readUInt32LE(pos + 5)
    const p = pending.get(id)
    if (p === undefined) continue
    pending.delete(id)
    if (ok) {
      let v: unknown
      try {
        r.pos = start
        v = p.decode(r, p.arg)
      } catch (e) {
        p.counter?.end(p.t0, e)
        p.measure?.end(0, e)
        p.reject(e as Error)
        continue
      }
      p.counter?.end(p.t0)
      p.measure?.end(WIRE_HEADER + pos - start)
      p.resolve(v)
    } else {
      fail(p, queuedError(buf, start, pos))
    }
  }
}

/**
 * The error of a failed command: its payload is `i32 code | u8 inDoubt | message` (UTF-8). Its
 * cause is an `Error` shaped as the binding's own (`message`, `code`, `inDoubt`).
 */
function queuedError(buf: Buffer, start: number, end: number): Error {
  const fields = { code: buf.readInt32LE(start), inDoubt: buf[start + 4] === 1, message: buf.toString('utf8', start + 5, end) }
  return fromFields(fields, Object.assign(new Error(fields.message), { code: fields.code, inDoubt: fields.inDoubt }))
}

function fail(p: Pending, raw: Error): void {
  const err = p.mapErr ? p.mapErr(raw) : raw
  p.counter?.end(p.t0, err)
  p.measure?.end(0, err)
  p.reject(err)
}

const dispatcher = new native.Dispatcher(onReady)
/** Starts the commands of a submission (`NativeClient.submit` without napi-rs's per-call glue). */
const { submitFast } = native.rawEntryPoints()
/** Reads the event-loop path's inbox (see `crates/napi/src/uvloop/wake.rs`), once it is on. */
let inboxReader: Reader | null = null

/**
 * Single-record commands run on this thread's own event loop (see `crates/napi/src/uvloop`), one
 * connection per command in flight, up to `AEROSPIKE_NAPI_LOOP_CONNS` (256) per node; the rest,
 * and every command where the runtime has no libuv (Bun), take the Tokio path.
 * `AEROSPIKE_NAPI_PATH=tokio` turns the loop path off (tests and benchmarks compare the two).
 */
const LOOP_CONNS = Number(process.env.AEROSPIKE_NAPI_LOOP_CONNS ?? 256)
if (process.env.AEROSPIKE_NAPI_PATH !== 'tokio' && process.versions.bun === undefined && LOOP_CONNS > 0) {
  const inbox = dispatcher.useLoop(onReady, LOOP_CONNS)
  if (inbox !== null) inboxReader = new Reader(inbox)
}

/** @internal How many commands this thread settled on its event loop (tests check the path is taken). */
export function loopSettled(): number {
  return dispatcher.loopSettled()
}

/** Sends the gathered commands to Rust. */
function flush(): void {
  flushQueued = false
  const client = outClient
  const end = committed
  outClient = null
  committed = 0
  out.pos = 0
  if (client === null || end === 0) return
  const buf = out.buf
  try {
    submitFast(client, dispatcher, buf, end)
  } catch (e) {
    // Nothing of this submission started: fail each of its commands.
    const err = fromNative(e)
    for (let pos = 0; pos + HEAD <= end; pos += HEAD + buf.readUInt32LE(pos + 5)) {
      const id = buf.readUInt32LE(pos)
      const p = pending.get(id)
      if (p === undefined) continue
      pending.delete(id)
      fail(p, err)
    }
  }
  // Do not keep a buffer that one huge request grew.
  if (out.buf.length > 1 << 20) out.buf = Buffer.allocUnsafe(INITIAL_SIZE)
}

/** Submits the commands gathered so far now (before a client closes, say). */
export function flushNow(): void {
  if (committed > 0 && !open) flush()
}

/**
 * Starts a command of kind `kind` on `client`: returns the writer to encode its request into.
 * A command started while another is being encoded (a getter of the first one's bins issuing
 * a command, say) gets a writer of its own.
 */
export function begin(client: NativeClient, kind: number): Writer {
  if (open) {
    const w = new Writer(128)
    w.u32(0)
    w.u8(kind)
    w.u32(0)
    return w
  }
  if (outClient !== client) {
    if (committed > 0) flush()
    outClient = client
  }
  open = true
  out.pos = committed
  out.u32(0)
  out.u8(kind)
  out.u32(0)
  return out
}

/** Drops a command started with `begin()` whose encoding failed. */
export function abort(w: Writer): void {
  if (w === out) {
    open = false
    out.pos = committed
  }
}

let filling: Pending
function fill(resolve: (v: any) => void, reject: (e: Error) => void): void {
  filling.resolve = resolve
  filling.reject = reject
}

/**
 * Completes a command started with `begin()`: it is submitted with the others of this turn and
 * its promise resolves with `decode(result, arg)`. Counted in `stats`; `mapErr` may replace its
 * error.
 */
export function commit<T, A>(
  client: NativeClient,
  w: Writer,
  decode: Decoder<T, A>,
  arg: A,
  stats?: CommandStats,
  mapErr?: (e: Error) => Error,
): Promise<T> {
  const standalone = w !== out
  const start = standalone ? 0 : committed
  const id = nextId
  nextId = nextId >= 0x7fffffff ? 1 : nextId + 1
  const buf = w.buf
  buf.writeUInt32LE(id, start)
  buf.writeUInt32LE(w.pos - start - HEAD, start + 5)
  const kind = buf[start + 4]!
  const counter = stats ? (stats.fast[kind] ?? stats.kind(KIND_NAMES[kind] ?? 'other')) : undefined
  const p = new Pending(decode, arg, counter, counter ? performance.now() : 0, mapErr)
  if (stats?.recorder?.enabled) p.measure = stats.recorder.begin(requestNamespace(buf, start + HEAD, w.pos), KIND_LATENCY[kind] ?? LAT.none, WIRE_HEADER + w.pos - start - HEAD)
  filling = p
  const promise = new Promise<T>(fill)
  if (standalone) {
    try {
      submitFast(client, dispatcher, buf, w.pos)
    } catch (e) {
      p.reject(fromNative(e))
      return promise
    }
  } else {
    committed = w.pos
    open = false
    if (!flushQueued) {
      flushQueued = true
      queueMicrotask(flush)
    }
  }
  if (counter) counter.inFlight++
  pending.set(id, p)
  return promise
}

const KIND_NAMES = ['get', 'put', 'exists', 'remove', 'operate']
/**
 * Bytes of the protocol and message headers (8 + 22) every request and response carries on the
 * wire. The Rust core does not count socket bytes: the per-namespace `bytesIn` / `bytesOut` of
 * a single-record command are these headers plus its encoded request / result.
 */
const WIRE_HEADER = 30
/** Latency histogram per kind (an operate counts as a write). */
const KIND_LATENCY = [LAT.read, LAT.write, LAT.read, LAT.write, LAT.write]

/** The namespace of a request: every single-record request starts with its key (`str ns`, …). */
function requestNamespace(buf: Buffer, at: number, end: number): string {
  if (at + 4 > end) return ''
  const len = buf.readUInt32LE(at)
  return at + 4 + len <= end && len <= 64 ? buf.toString('utf8', at + 4, at + 4 + len) : ''
}

/** Command kinds understood by `NativeClient.submit`. */
export const KIND = { GET: 0, PUT: 1, EXISTS: 2, REMOVE: 3, OPERATE: 4 } as const
