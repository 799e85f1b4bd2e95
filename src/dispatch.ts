/**
 * The JavaScript half of `crates/napi/src/dispatch.rs`: single-record commands are submitted
 * with an id; completions arrive in batches through one wakeup and settle their promises.
 * @module
 * @internal
 */
import { fromNative } from './errors'
import { native } from './native'

import type { CommandStats, KindCounter } from './metrics'

type Pending = { resolve: (b: Buffer) => void; reject: (e: Error) => void; counter: KindCounter | undefined; t0: number; mapErr: ((e: Error) => Error) | undefined }

const pending = new Map<number, Pending>()
let nextId = 1
let inflight = 0

function onReady(): void {
  const buf = dispatcher.drain()
  let pos = 0
  while (pos + 9 <= buf.length) {
    const id = buf.readUInt32LE(pos)
    const ok = buf[pos + 4] === 1
    const len = buf.readUInt32LE(pos + 5)
    const payload = buf.subarray(pos + 9, pos + 9 + len)
    pos += 9 + len
    const p = pending.get(id)
    if (!p) continue
    pending.delete(id)
    inflight--
    if (ok) {
      p.counter?.end(p.t0)
      p.resolve(payload)
    } else {
      const raw = fromNative(new Error(payload.toString('utf8')))
      const err = p.mapErr ? p.mapErr(raw) : raw
      p.counter?.end(p.t0, err)
      p.reject(err)
    }
  }
  if (inflight === 0) dispatcher.release()
}

const dispatcher = new native.Dispatcher(onReady)

const KIND_NAMES = ['get', 'put', 'exists', 'remove', 'operate']

/** Submits command `kind` on `client` and resolves with its result bytes (counted in `stats`). */
export function submit(
  client: import('../native').NativeClient,
  kind: number,
  req: Buffer,
  stats?: CommandStats,
  mapErr?: (e: Error) => Error,
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const id = nextId
    nextId = nextId >= 0x7fffffff ? 1 : nextId + 1
    try {
      client.submit(dispatcher, kind, id, req)
    } catch (e) {
      reject(fromNative(e))
      return
    }
    const counter = stats ? (stats.fast[kind] ?? stats.kind(KIND_NAMES[kind] ?? 'other')) : undefined
    if (counter) counter.inFlight++
    pending.set(id, { resolve, reject, counter, t0: counter ? performance.now() : 0, mapErr })
    if (inflight++ === 0) dispatcher.hold()
  })
}

/** Command kinds understood by `NativeClient.submit`. */
export const KIND = { GET: 0, PUT: 1, EXISTS: 2, REMOVE: 3, OPERATE: 4 } as const
