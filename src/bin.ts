/**
 * A single bin: a name and a value, as the official client's `Aerospike.Bin`.
 * @module
 */
import type { AerospikeValue } from './values'

/** `maps.order.KEY_ORDERED`: a plain-object value becomes a `Map` in its key order. */
const KEY_ORDERED = 1

/** A named bin value. `client.put(key, bin)` writes it as the one bin of the record. */
export class Bin {
  /** The bin's name. */
  name: string
  /** The bin's value. */
  value: AerospikeValue

  /**
   * @param mapOrder - `maps.order.KEY_ORDERED` (1) makes the value, an object, a `Map` of its
   * entries; any other order keeps the value as it is.
   */
  constructor(name: string, value: AerospikeValue, mapOrder?: number) {
    this.name = name
    this.value = mapOrder === KEY_ORDERED ? (new Map(Object.entries(value as object)) as AerospikeValue) : value
  }
}

/** The bins a `Bin` stands for (`{ [name]: value }`); anything else is returned as it is. */
export function binsOf<T>(bins: T | Bin): T | Record<string, unknown> {
  return bins instanceof Bin ? { [bins.name]: bins.value } : bins
}
