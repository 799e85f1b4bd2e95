/**
 * Status codes, with the official `aerospike` package's names, numbers and messages. Negative
 * codes are client-side failures; the rest are the server's result codes. Every name is also
 * available with the `AEROSPIKE_` prefix (`status.AEROSPIKE_ERR_RECORD_NOT_FOUND`), as in the
 * official client.
 *
 * Generated from one table ({@link STATUS_TABLE}); `status.getMessage(code)` reads it too.
 * @module
 */

/**
 * `[name, code, message]` for every status. A code may have more than one name
 * (`ERR_ENTERPRISE_ONLY` and `ERR_FAIL_ENTERPRISE_ONLY`); its message is that of its first row.
 */
export const STATUS_TABLE = [
  ['METRICS_CONFLICT', -20, 'There is a conflict between metrics enable/disable and dynamic configuration metrics.'],
  ['TXN_ALREADY_ABORTED', -19, 'Transaction commit called, but the transaction was already aborted.'],
  ['TXN_ALREADY_COMMITTED', -18, 'Transaction abort called, but the transaction was already committed.'],
  ['TXN_FAILED', -17, 'Transaction failed.'],
  ['BATCH_FAILED', -16, 'One or more keys failed in a batch.'],
  ['NO_RESPONSE', -15, 'No response received from server.'],
  ['MAX_ERROR_RATE', -14, 'Max errors limit reached.'],
  ['USE_NORMAL_RETRY', -13, 'Abort split batch retry and use normal node retry instead. Used internally and should not be returned to user.'],
  ['ERR_MAX_RETRIES_EXCEEDED', -12, 'Max retries limit reached.'],
  ['ERR_ASYNC_QUEUE_FULL', -11, 'Async command delay queue is full.'],
  ['ERR_CONNECTION', -10, 'Synchronous connection error.'],
  ['ERR_TLS_ERROR', -9, 'TLS related error'],
  ['ERR_INVALID_NODE', -8, 'Node invalid or could not be found.'],
  ['ERR_NO_MORE_CONNECTIONS', -7, 'Max connections would be exceeded.'],
  ['ERR_ASYNC_CONNECTION', -6, 'Asynchronous connection error.'],
  ['ERR_CLIENT_ABORT', -5, 'Query or scan was aborted in user\'s callback.'],
  ['ERR_INVALID_HOST', -4, 'Host name could not be found in DNS lookup.'],
  ['NO_MORE_RECORDS', -3, 'No more records available when parsing batch, scan or query records.'],
  ['ERR_PARAM', -2, 'Invalid client API parameter.'],
  ['ERR_CLIENT', -1, 'Generic client API usage error.'],
  ['OK', 0, 'Generic success.'],
  ['ERR_SERVER', 1, 'Generic error returned by server.'],
  ['ERR_RECORD_NOT_FOUND', 2, 'Record does not exist in database. May be returned by read, or write with policy Aerospike.policy.exists.UPDATE.'],
  ['ERR_RECORD_GENERATION', 3, 'Generation of record in database does not satisfy write policy.'],
  ['ERR_REQUEST_INVALID', 4, 'Request protocol invalid, or invalid protocol field.'],
  ['ERR_RECORD_EXISTS', 5, 'Record already exists. May be returned by write with policy Aerospike.policy.exists.CREATE.'],
  ['ERR_BIN_EXISTS', 6, 'Bin already exists on a create-only operation.'],
  ['ERR_CLUSTER_CHANGE', 7, 'A cluster state change occurred during the request. This may also be returned by scan operations with the fail_on_cluster_change flag set.'],
  ['ERR_SERVER_FULL', 8, 'The server node is running out of memory and/or storage device space reserved for the specified namespace.'],
  ['ERR_TIMEOUT', 9, 'Request timed out. Can be triggered by client or server.'],
  ['ERR_ALWAYS_FORBIDDEN', 10, 'Operation not allowed in current configuration.'],
  ['ERR_CLUSTER', 11, 'Partition is unavailable.'],
  ['ERR_BIN_INCOMPATIBLE_TYPE', 12, 'Bin modification operation can\'t be done on an existing bin due to its value type.'],
  ['ERR_RECORD_TOO_BIG', 13, 'Record being (re-)written can\'t fit in a storage write block.'],
  ['ERR_RECORD_BUSY', 14, 'Too many concurrent requests for one record - a "hot-key" situation.'],
  ['ERR_SCAN_ABORTED', 15, 'Scan aborted by user.'],
  ['ERR_UNSUPPORTED_FEATURE', 16, 'Sometimes our doc, or our customers wishes, get ahead of us. We may have processed something that the server is not ready for (unsupported feature).'],
  ['ERR_BIN_NOT_FOUND', 17, 'Bin not found on update-only operation.'],
  ['ERR_DEVICE_OVERLOAD', 18, 'The server node\'s storage device(s) can\'t keep up with the write load.'],
  ['ERR_RECORD_KEY_MISMATCH', 19, 'Record key sent with command did not match key stored on server.'],
  ['ERR_NAMESPACE_NOT_FOUND', 20, 'Namespace in request not found on server.'],
  ['ERR_BIN_NAME', 21, 'Sent too-long bin name (should be impossible in this client) or exceeded namespace\'s bin name quota.'],
  ['ERR_FAIL_FORBIDDEN', 22, 'Operation not allowed at this time.'],
  ['ERR_FAIL_ELEMENT_NOT_FOUND', 23, 'Map element not found in UPDATE_ONLY write mode.'],
  ['ERR_FAIL_ELEMENT_EXISTS', 24, 'Map element exists in CREATE_ONLY write mode.'],
  ['ERR_ENTERPRISE_ONLY', 25, 'Attempt to use an Enterprise feature on a Community server or a server without the applicable feature key.'],
  ['ERR_FAIL_ENTERPRISE_ONLY', 25, 'Attempt to use an Enterprise feature on a Community server or a server without the applicable feature key.'],
  ['ERR_OP_NOT_APPLICABLE', 26, 'The operation cannot be applied to the current bin value on the server.'],
  ['FILTERED_OUT', 27, 'The command was not performed because the filter expression was false.'],
  ['LOST_CONFLICT', 28, 'Write command loses conflict to XDR.'],
  ['XDR_KEY_BUSY', 32, 'Write can\'t complete until XDR finishes shipping.'],
  ['QUERY_END', 50, 'There are no more records left for query.'],
  ['SECURITY_NOT_SUPPORTED', 51, 'Security functionality not supported by connected server.'],
  ['SECURITY_NOT_ENABLED', 52, 'Security functionality not enabled by connected server.'],
  ['SECURITY_SCHEME_NOT_SUPPORTED', 53, 'Security scheme not supported.'],
  ['INVALID_COMMAND', 54, 'Administration command is invalid.'],
  ['INVALID_FIELD', 55, 'Administration field is invalid.'],
  ['ILLEGAL_STATE', 56, 'Security protocol not followed.'],
  ['INVALID_USER', 60, 'User name is invalid.'],
  ['USER_ALREADY_EXISTS', 61, 'User was previously created.'],
  ['INVALID_PASSWORD', 62, 'Password is invalid.'],
  ['EXPIRED_PASSWORD', 63, 'Password has expired.'],
  ['FORBIDDEN_PASSWORD', 64, 'Forbidden password (e.g. recently used).'],
  ['INVALID_CREDENTIAL', 65, 'Security credential is invalid.'],
  ['EXPIRED_SESSION', 66, 'Login session expired.'],
  ['INVALID_ROLE', 70, 'Role name is invalid.'],
  ['ROLE_ALREADY_EXISTS', 71, 'Role already exists.'],
  ['INVALID_PRIVILEGE', 72, 'Privilege is invalid.'],
  ['INVALID_WHITELIST', 73, 'Invalid IP whitelist.'],
  ['QUOTAS_NOT_ENABLED', 74, 'Quotas not enabled on server.'],
  ['INVALID_QUOTA', 75, 'Invalid quota.'],
  ['NOT_AUTHENTICATED', 80, 'User must be authenticated before performing database operations.'],
  ['ROLE_VIOLATION', 81, 'User does not possess the required role to perform the database operation.'],
  ['NOT_WHITELISTED', 82, 'Command not allowed because sender IP not whitelisted.'],
  ['QUOTA_EXCEEDED', 83, 'Quota exceeded.'],
  ['ERR_UDF', 100, 'Generic UDF error.'],
  ['MRT_BLOCKED', 120, 'Transaction record blocked by a different transaction.'],
  ['MRT_VERSION_MISMATCH', 121, 'Transaction read version mismatch identified during commit. Some other command changed the record outside of the transaction.'],
  ['MRT_EXPIRED', 122, 'Transaction deadline reached without a successful commit or abort.'],
  ['MRT_TOO_MANY_WRITES', 123, 'Transaction write command limit (4096) exceeded.'],
  ['MRT_COMMITTED', 124, 'Transaction was already committed.'],
  ['MRT_ABORTED', 125, 'Transaction was already aborted.'],
  ['MRT_ALREADY_LOCKED', 126, 'This record has been locked by a previous update in this transaction.'],
  ['MRT_MONITOR_EXISTS', 127, 'This transaction has already started. Writing to the same transaction with independent threads is unsafe.'],
  ['ERR_BATCH_DISABLED', 150, 'Batch functionality has been disabled.'],
  ['ERR_BATCH_MAX_REQUESTS_EXCEEDED', 151, 'Batch max requests have been exceeded.'],
  ['ERR_BATCH_QUEUES_FULL', 152, 'All batch queues are full.'],
  ['ERR_GEO_INVALID_GEOJSON', 160, 'Invalid/Unsupported GeoJSON.'],
  ['ERR_INDEX_FOUND', 200, 'Index found.'],
  ['ERR_INDEX_NOT_FOUND', 201, 'Index not found.'],
  ['ERR_INDEX_OOM', 202, 'Index is out of memory.'],
  ['ERR_INDEX_NOT_READABLE', 203, 'Unable to read the index.'],
  ['ERR_INDEX', 204, 'Generic secondary index error.'],
  ['ERR_INDEX_NAME_MAXLEN', 205, 'Index name is too long.'],
  ['ERR_INDEX_MAXCOUNT', 206, 'System already has maximum allowed indices.'],
  ['ERR_QUERY_ABORTED', 210, 'Query was aborted.'],
  ['ERR_QUERY_QUEUE_FULL', 211, 'Query processing queue is full.'],
  ['ERR_QUERY_TIMEOUT', 212, 'Secondary index query timed out on server.'],
  ['ERR_QUERY', 213, 'Generic query error.'],
  ['ERR_UDF_NOT_FOUND', 1301, 'UDF does not exist.'],
  ['ERR_LUA_FILE_NOT_FOUND', 1302, 'LUA file does not exist.'],
] as const

/** The name of a status code (`"ERR_RECORD_NOT_FOUND"`, …), without the `AEROSPIKE_` prefix. */
export type StatusName = (typeof STATUS_TABLE)[number][0]

/** Status codes by name, with and without the `AEROSPIKE_` prefix. */
export type StatusCodes = { readonly [K in StatusName | `AEROSPIKE_${StatusName}`]: number }

const messages = new Map<number, string>()
const codes: Record<string, number> = {}
for (const [name, code, message] of STATUS_TABLE) {
  codes[`AEROSPIKE_${name}`] = code
  codes[name] = code
  if (!messages.has(code)) messages.set(code, message)
}

/** Status codes by name: `status.ERR_RECORD_NOT_FOUND === 2`, and `status.getMessage(code)`. */
export const status: StatusCodes & {
  /** The human-readable message of a status code, as the official client words it. */
  getMessage(code: number): string
} = Object.freeze({
  ...(codes as StatusCodes),
  getMessage(code: number): string {
    return messages.get(code) ?? `Unknown status message ${code}`
  },
})
