/**
 * Multi-record transactions, with the official client's API: `new Transaction(readsCapacity,
 * writesCapacity)`, its getters, `Transaction.state` / `capacity` / `abortStatus` /
 * `commitStatus`, and the process-wide pool that reaps completed transactions
 * (`_transactionPool`, as the official package exports it).
 *
 * What this client does with a transaction: a command given `policy.txn` runs as an ordinary
 * single command (the transaction is not sent to the server: its writes apply at once and are
 * not atomic together, whatever the server), and the transaction only notes what it was used
 * for. `client.commit(txn)` / `client.abort(txn)` complete it locally and answer as the official
 * client does against a server without transactions: `commitStatus.OK` / `abortStatus.OK` when
 * nothing was written, `ROLL_FORWARD_ABANDONED` / `ROLL_BACK_ABANDONED` (writes not rolled back)
 * when something was.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { AerospikeError } from './errors'
import { abortStatus, commitStatus } from './enums'

/** Transaction states (`Transaction.state`). */
export const txnState = Object.freeze({ OK: 0, VERIFIED: 1, COMMITTED: 2, ABORTED: 3 })

/** Default capacities of a transaction's read and write sets (`Transaction.capacity`). */
export const txnCapacity = Object.freeze({ READ_DEFAULT: 128, WRITE_DEFAULT: 128 })

const UINT32_MAX = 0xffffffff
/** The reads + writes capacity all open transactions may reserve together. */
const READ_WRITE_LIMIT = 500_000

const isUint32 = (v: number): boolean => v >= 0 && v <= UINT32_MAX

/** A random non-zero 63-bit id, as a number (as the official client reports it). */
function newId(): number {
  for (;;) {
    const id = Number(randomBytes(8).readBigUInt64BE() >> 1n)
    if (id !== 0) return id
  }
}

/**
 * The open transactions of the process. Past its capacity it reaps the completed ones, and
 * doubles the capacity when that is not enough.
 */
export class TransactionPool {
  transactions: Transaction[] = []
  capacity: number
  totalReadsAndWrites = 0

  constructor(capacity = 128) {
    this.capacity = capacity
  }

  getTransactions(): Transaction[] {
    return this.transactions
  }

  getCapacity(): number {
    return this.capacity
  }

  getLength(): number {
    return this.transactions.length
  }

  pushTransaction(txn: Transaction): void {
    if (this.totalReadsAndWrites > READ_WRITE_LIMIT) this.tendTransactions()
    if (this.totalReadsAndWrites > READ_WRITE_LIMIT) {
      throw new RangeError(
        'Maximum capacity for Multi-record transactions has been reached. Avoid setting readsCapacity and writesCapacity too high, and abort/commit open transactions so memory can be cleaned up and reused.',
      )
    }
    this.totalReadsAndWrites += txn.getReadsCapacity() + txn.getWritesCapacity()
    this.transactions.push(txn)
  }

  resetTransactions(): void {
    this.transactions = []
  }

  increaseCapacity(): void {
    this.capacity *= 2
  }

  removeAllTransactions(): void {
    for (const t of this.transactions) t.close()
    this.resetTransactions()
  }

  /** Closes and drops completed transactions once the pool is over capacity. */
  tendTransactions(): void {
    if (this.transactions.length <= this.capacity) return
    this.transactions = this.transactions.filter((t) => {
      const s = t.getState()
      if (s !== txnState.COMMITTED && s !== txnState.ABORTED) return true
      t.close()
      return false
    })
    if (this.transactions.length > this.capacity) this.increaseCapacity()
  }
}

/** The process-wide pool (exported as `_transactionPool`, as the official package does). */
export const transactionPool = new TransactionPool()

/** A multi-record transaction: pass it as `policy.txn`, then `client.commit()` or `client.abort()` it. */
export class Transaction {
  static state = txnState
  static capacity = txnCapacity
  static abortStatus = abortStatus
  static commitStatus = commitStatus

  private readonly id: number
  private readonly readsCapacity: number
  private readonly writesCapacity: number
  private state: number = txnState.OK
  private timeout = 0
  private inDoubt = false
  private destroyed = false

  constructor(readsCapacity: number = txnCapacity.READ_DEFAULT, writesCapacity: number = txnCapacity.WRITE_DEFAULT) {
    const rInt = Number.isInteger(readsCapacity)
    const wInt = Number.isInteger(writesCapacity)
    if (!rInt && wInt) throw new TypeError('Must specify a number for readsCapacity')
    if (rInt && !wInt) throw new TypeError('Must specify a number for writesCapacity')
    if (rInt && wInt) {
      const rOk = isUint32(readsCapacity)
      const wOk = isUint32(writesCapacity)
      if (!rOk && !wOk) throw new RangeError('both readsCapacity and writesCapacity are out of uint32 range')
      if (!rOk) throw new RangeError('readsCapacity is out of uint32 range')
      if (!wOk) throw new RangeError('writesCapacity is out of uint32 range')
      this.readsCapacity = readsCapacity
      this.writesCapacity = writesCapacity
    } else {
      // Neither given as an integer: the defaults (as the official client does).
      this.readsCapacity = txnCapacity.READ_DEFAULT
      this.writesCapacity = txnCapacity.WRITE_DEFAULT
    }
    this.id = newId()
    transactionPool.pushTransaction(this)
  }

  // The official getters, one line each.
  /** Whether the transaction was closed (its memory released); it can no longer be used. */
  getDestroyed(): boolean { return this.destroyed }
  /** The transaction id (a random non-zero 63-bit number). */
  getId(): number { return this.id }
  /** Whether the outcome of the last commit or abort is unknown. */
  getInDoubt(): boolean { return this.inDoubt }
  /** The read capacity given to the constructor (or its default). */
  getReadsCapacity(): number { return this.readsCapacity }
  /** The write capacity given to the constructor (or its default). */
  getWritesCapacity(): number { return this.writesCapacity }
  /** One of `Transaction.state`. */
  getState(): number { return this.state }
  /** The transaction's time limit in seconds (0: the server's default). */
  getTimeout(): number { return this.timeout }

  /** Sets the time limit in seconds (0: the server's default, 10 s). */
  setTimeout(timeout: number): void {
    if (this.destroyed) throw new AerospikeError('Transaction is already complete', -1)
    if (!Number.isInteger(timeout) || !isUint32(timeout)) throw new TypeError('timeout must be an integer number of seconds (0 to 2^32-1)')
    this.timeout = timeout
  }

  /** Releases the transaction; further use fails. */
  close(): void {
    if (this.destroyed) return
    this.prepareToClose()
  }

  /** Releases the transaction's share of the pool and marks it closed (what `close()` does; the
   * official client calls it when a client closes). */
  prepareToClose(): void {
    if (this.destroyed) return
    transactionPool.totalReadsAndWrites -= this.readsCapacity + this.writesCapacity
    this.destroyed = true
  }

  /** Closes every transaction of the process. */
  destroyAll(): void {
    transactionPool.removeAllTransactions()
  }

  /** @internal Commands that read / wrote under this transaction. */
  _reads = 0
  _writes = 0

  /** @internal Marks the transaction completed. */
  _complete(state: number, inDoubt = false): void {
    this.state = state
    this.inDoubt = inDoubt
  }
}
