import type { Reader } from './codec'
import type { Key } from './key'
import type { Bins } from './values'

/** A record as commands return it: key, bins, seconds to live (-1 = never) and generation. */
export class AerospikeRecord<B = Bins> {
  public ttl: number
  public gen: number

  /** `(key, bins, ttl, gen)`, or as the official client: `(key, bins, { ttl, gen })`. */
  constructor(
    public key: Key,
    public bins: B,
    ttl: number | { ttl?: number; gen?: number } | null = null,
    gen?: number,
  ) {
    if (ttl !== null && typeof ttl === 'object') {
      this.ttl = ttl.ttl as number
      this.gen = ttl.gen as number
    } else {
      this.ttl = ttl as number
      this.gen = gen as number
    }
  }
}

/** Reads generation, ttl and bins from a response. */
export function readRecord(r: Reader, key: Key): AerospikeRecord {
  const gen = r.u32()
  const ttl = r.i32()
  const n = r.u32()
  const bins: Bins = {}
  for (let i = 0; i < n; i++) {
    const name = r.str()
    bins[name] = r.value() as Bins[string]
  }
  return new AerospikeRecord(key, bins, ttl, gen)
}
