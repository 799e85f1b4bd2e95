/**
 * Status codes, with the official `aerospike` package's names and numbers. Negative codes are
 * client-side failures; the rest are the server's result codes.
 *
 * Generated from one table ({@link STATUS_TABLE}); `status.getMessage(code)` reads it too.
 * @module
 */

/** `[name, code, message]` for every status. */
export const STATUS_TABLE = [
  ['ERR_MAX_RETRIES_EXCEEDED', -12, 'Max retries exceeded'],
  ['ERR_ASYNC_QUEUE_FULL', -11, 'Async command queue is full'],
  ['ERR_CONNECTION', -10, 'Socket I/O error'],
  ['ERR_TLS_ERROR', -9, 'TLS error'],
  ['ERR_INVALID_NODE', -8, 'Node invalid or could not be found'],
  ['ERR_NO_MORE_CONNECTIONS', -7, 'No more connections available'],
  ['ERR_ASYNC_CONNECTION', -6, 'Asynchronous connection error'],
  ['ERR_CLIENT_ABORT', -5, 'Query or scan was aborted in user callback'],
  ['ERR_INVALID_HOST', -4, 'Host name could not be found in DNS lookup'],
  ['NO_MORE_RECORDS', -3, 'No more records available when parsing batch, scan or query records'],
  ['ERR_PARAM', -2, 'Invalid client API parameter'],
  ['ERR_CLIENT', -1, 'Generic client API usage error'],
  ['OK', 0, 'Success'],
  ['ERR_SERVER', 1, 'Generic error returned by server'],
  ['ERR_RECORD_NOT_FOUND', 2, 'Record does not exist in database'],
  ['ERR_RECORD_GENERATION', 3, 'Generation of record in database does not satisfy write policy'],
  ['ERR_REQUEST_INVALID', 4, 'Request protocol invalid, or invalid protocol field'],
  ['ERR_RECORD_EXISTS', 5, 'Record already exists'],
  ['ERR_BIN_EXISTS', 6, 'Bin already exists'],
  ['ERR_CLUSTER_CHANGE', 7, 'A cluster state change occurred during the request'],
  ['ERR_SERVER_FULL', 8, 'The server node is running out of memory and/or storage device space'],
  ['ERR_TIMEOUT', 9, 'Request timed out'],
  ['ERR_ALWAYS_FORBIDDEN', 10, 'Operation not allowed in current configuration'],
  ['ERR_CLUSTER', 11, 'Partition is unavailable'],
  ['ERR_BIN_INCOMPATIBLE_TYPE', 12, 'Bin modification operation cannot be done on an existing bin due to its value type'],
  ['ERR_RECORD_TOO_BIG', 13, 'Record being (re-)written cannot fit in a storage write block'],
  ['ERR_RECORD_BUSY', 14, 'Too many concurrent requests for one record - a "hot-key" situation'],
  ['ERR_SCAN_ABORTED', 15, 'Scan aborted by user'],
  ['ERR_UNSUPPORTED_FEATURE', 16, 'Sometimes our doc, or our customers wishes, get ahead of us'],
  ['ERR_BIN_NOT_FOUND', 17, 'Bin not found'],
  ['ERR_DEVICE_OVERLOAD', 18, 'The server node storage device(s) cannot keep up with the write load'],
  ['ERR_RECORD_KEY_MISMATCH', 19, 'Record key sent with transaction did not match key stored on server'],
  ['ERR_NAMESPACE_NOT_FOUND', 20, 'Namespace in request not found on server'],
  ['ERR_BIN_NAME', 21, 'Bin name length greater than 15 characters, or maximum number of unique bin names are exceeded'],
  ['ERR_FAIL_FORBIDDEN', 22, 'Operation not allowed at this time'],
  ['ERR_FAIL_ELEMENT_NOT_FOUND', 23, 'Map element not found in UPDATE_ONLY write mode'],
  ['ERR_FAIL_ELEMENT_EXISTS', 24, 'Map element exists in CREATE_ONLY write mode'],
  ['ERR_ENTERPRISE_ONLY', 25, 'Attempt to use an Enterprise feature on a Community server'],
  ['ERR_OP_NOT_APPLICABLE', 26, 'The operation cannot be applied to the current bin value on the server'],
  ['FILTERED_OUT', 27, 'The transaction was not performed because the expression was false'],
  ['LOST_CONFLICT', 28, 'Write command loses conflict to XDR'],
  ['XDR_KEY_BUSY', 32, 'Write can\'t complete until XDR finishes shipping'],
  ['QUERY_END', 50, 'There are no more records left for query'],
  ['SECURITY_NOT_SUPPORTED', 51, 'Security functionality not supported by connected server'],
  ['SECURITY_NOT_ENABLED', 52, 'Security functionality not enabled by connected server'],
  ['SECURITY_SCHEME_NOT_SUPPORTED', 53, 'Security type not supported by connected server'],
  ['INVALID_COMMAND', 54, 'Administration command is invalid'],
  ['INVALID_FIELD', 55, 'Administration field is invalid'],
  ['ILLEGAL_STATE', 56, 'Security protocol not followed'],
  ['INVALID_USER', 60, 'User name is invalid'],
  ['USER_ALREADY_EXISTS', 61, 'User was previously created'],
  ['INVALID_PASSWORD', 62, 'Password is invalid'],
  ['EXPIRED_PASSWORD', 63, 'Password has expired'],
  ['FORBIDDEN_PASSWORD', 64, 'Forbidden password (e.g. recently used)'],
  ['INVALID_CREDENTIAL', 65, 'Security credential is invalid'],
  ['EXPIRED_SESSION', 66, 'Login session expired'],
  ['INVALID_ROLE', 70, 'Role name is invalid'],
  ['ROLE_ALREADY_EXISTS', 71, 'Role already exists'],
  ['INVALID_PRIVILEGE', 72, 'Privilege is invalid'],
  ['INVALID_WHITELIST', 73, 'Invalid IP address whitelist'],
  ['QUOTAS_NOT_ENABLED', 74, 'Quotas not enabled on server'],
  ['INVALID_QUOTA', 75, 'Invalid quota value'],
  ['NOT_AUTHENTICATED', 80, 'User must be authentication before performing database operations'],
  ['ROLE_VIOLATION', 81, 'User does not possess the required role to perform the database operation'],
  ['NOT_WHITELISTED', 82, 'Command not allowed because sender IP address not whitelisted'],
  ['QUOTA_EXCEEDED', 83, 'Quota exceeded'],
  ['ERR_UDF', 100, 'Generic UDF error'],
  ['MRT_BLOCKED', 120, 'MRT record blocked by a different transaction'],
  ['MRT_VERSION_MISMATCH', 121, 'MRT read version mismatch identified during commit'],
  ['MRT_EXPIRED', 122, 'MRT deadline reached without a successful commit or abort'],
  ['MRT_TOO_MANY_WRITES', 123, 'MRT write command limit (4096) exceeded'],
  ['MRT_COMMITTED', 124, 'MRT was already committed'],
  ['MRT_ABORTED', 125, 'MRT was already aborted'],
  ['MRT_ALREADY_LOCKED', 126, 'This record has been locked by a previous update in this transaction'],
  ['MRT_MONITOR_EXISTS', 127, 'This transaction has already started'],
  ['ERR_BATCH_DISABLED', 150, 'Batch functionality has been disabled'],
  ['ERR_BATCH_MAX_REQUESTS_EXCEEDED', 151, 'Batch max requests have been exceeded'],
  ['ERR_BATCH_QUEUES_FULL', 152, 'All batch queues are full'],
  ['ERR_GEO_INVALID_GEOJSON', 160, 'Invalid/unsupported GeoJSON'],
  ['ERR_INDEX_FOUND', 200, 'Index found'],
  ['ERR_INDEX_NOT_FOUND', 201, 'Index not found'],
  ['ERR_INDEX_OOM', 202, 'Index is out of memory'],
  ['ERR_INDEX_NOT_READABLE', 203, 'Unable to read the index'],
  ['ERR_INDEX', 204, 'Generic secondary index error'],
  ['ERR_INDEX_NAME_MAXLEN', 205, 'Index name is too long'],
  ['ERR_INDEX_MAXCOUNT', 206, 'System already has maximum allowed indexes'],
  ['ERR_QUERY_ABORTED', 210, 'Query was aborted'],
  ['ERR_QUERY_QUEUE_FULL', 211, 'Query processing queue is full'],
  ['ERR_QUERY_TIMEOUT', 212, 'Secondary index query timed out on server'],
  ['ERR_QUERY', 213, 'Generic query error'],
  ['ERR_UDF_NOT_FOUND', 1301, 'UDF does not exist'],
  ['ERR_LUA_FILE_NOT_FOUND', 1302, 'LUA file does not exist'],
] as const

/** The name of a status code (`"ERR_RECORD_NOT_FOUND"`, …). */
export type StatusName = (typeof STATUS_TABLE)[number][0]

/** Status codes by name: `status.ERR_RECORD_NOT_FOUND === 2`. */
export const status: { readonly [K in StatusName]: number } & {
  getMessage(code: number): string
} = Object.freeze({
  ...(Object.fromEntries(STATUS_TABLE.map(([name, code]) => [name, code])) as { [K in StatusName]: number }),
  getMessage(code: number): string {
    return messages.get(code) ?? `Unknown status ${code}`
  },
})

const messages = new Map<number, string>(STATUS_TABLE.map(([, code, msg]) => [code as number, msg]))
