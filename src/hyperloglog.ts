/**
 * A HyperLogLog value as the server stores it: the raw bytes of an HLL bin. Writing one as a bin
 * value stores an HLL (not a blob); reading an HLL bin gives one back when
 * `Aerospike.wrapHLL(true)` is on (otherwise a plain Buffer, the default).
 * @module
 */

/** The bytes of a HyperLogLog bin. */
export class HyperLogLog {
  /** The HLL's serialized form, as the server keeps it. */
  buffer: Buffer

  /** @throws TypeError `buffer must be a Buffer` when `buffer` is not a Buffer / Uint8Array. */
  constructor(buffer: Buffer) {
    if (!(buffer instanceof Uint8Array)) throw new TypeError('buffer must be a Buffer')
    this.buffer = buffer
  }
}
