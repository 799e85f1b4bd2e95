/**
 * `client.commit(txn)` and `client.abort(txn)`, as the official client has them, and the
 * bookkeeping of commands carrying `policy.txn`. See `transaction.ts` for what a transaction does
 * in this client (commands run as ordinary commands; completing the transaction is local).
 * @module
 */
import { Client } from './client'
import { settle, type Callback } from './callbacks'
import { AerospikeError } from './errors'
import { status } from './status'
import { abortStatus, commitStatus } from './enums'
import { Transaction, transactionPool, txnState } from './transaction'

/** Official client-side codes of completing a transaction twice the other way. */
const TXN_ALREADY_COMMITTED = -18
const TXN_ALREADY_ABORTED = -19

declare module './client' {
  interface Client {
    /**
     * Commits a transaction. Resolves with one of `Transaction.commitStatus` (`ALREADY_COMMITTED`
     * when it was committed before). Throws when it was aborted, closed, or is not a Transaction.
     */
    commit(transaction: Transaction, callback?: Callback<number>): Promise<number>
    /**
     * Aborts a transaction. Resolves with one of `Transaction.abortStatus` (`ALREADY_ABORTED`
     * when it was aborted before). Throws when it was committed, closed, or is not a Transaction.
     */
    abort(transaction: Transaction, callback?: Callback<number>): Promise<number>
  }
}

/** The argument checks of commit/abort: thrown synchronously, as the official client does. */
function checkTxn(txn: unknown): Transaction {
  transactionPool.tendTransactions()
  if (!(txn instanceof Transaction)) throw new AerospikeError('transaction must be an instance of class Transaction.', status.ERR_CLIENT)
  return txn
}

function destroyedError(): AerospikeError {
  return new AerospikeError('The object has been destroyed, please create a new transaction.', status.ERR_CLIENT)
}

/**
 * Completes a checked transaction as `state`: `ok`, or `abandoned` when it wrote (its writes went
 * through as ordinary commands, so there is nothing to roll forward or back).
 */
function complete(client: Client, txn: Transaction, state: number, ok: number, abandoned: number, callback?: Callback<number>): Promise<number> {
  const run = async (): Promise<number> => {
    client._conn()
    txn._complete(state)
    return txn._writes > 0 ? abandoned : ok
  }
  return settle(run(), callback)
}

Client.prototype.commit = function (this: Client, transaction: Transaction, callback?: Callback<number>): Promise<number> {
  const txn = checkTxn(transaction)
  const state = txn.getState()
  if (state === txnState.COMMITTED) return settle(Promise.resolve<number>(commitStatus.ALREADY_COMMITTED), callback)
  if (state === txnState.ABORTED) throw new AerospikeError('The transaction has already been aborted.', TXN_ALREADY_ABORTED)
  if (txn.getDestroyed()) throw destroyedError()
  return complete(this, txn, txnState.COMMITTED, commitStatus.OK, commitStatus.ROLL_FORWARD_ABANDONED, callback)
}

Client.prototype.abort = function (this: Client, transaction: Transaction, callback?: Callback<number>): Promise<number> {
  const txn = checkTxn(transaction)
  const state = txn.getState()
  if (state === txnState.COMMITTED) throw new AerospikeError('The transaction has already been committed.', TXN_ALREADY_COMMITTED)
  if (state === txnState.ABORTED) return settle(Promise.resolve<number>(abortStatus.ALREADY_ABORTED), callback)
  if (txn.getDestroyed()) throw destroyedError()
  return complete(this, txn, txnState.ABORTED, abortStatus.OK, abortStatus.ROLL_BACK_ABANDONED, callback)
}

// Every per-call policy goes through `_policy()`: note there what a transaction is used for.
const policyOf = Client.prototype._policy
Client.prototype._policy = function (this: Client, kind: Parameters<typeof policyOf>[0], policy: unknown) {
  const txn = policy !== null && typeof policy === 'object' ? (policy as { txn?: unknown }).txn : undefined
  if (txn !== undefined && txn !== null) {
    if (!(txn instanceof Transaction)) throw new TypeError('policy.txn must be an Aerospike.Transaction')
    if (kind === 'read' || (kind as string) === 'query' || (kind as string) === 'scan') txn._reads++
    else txn._writes++
  }
  return policyOf.call(this, kind, policy)
} as typeof policyOf
