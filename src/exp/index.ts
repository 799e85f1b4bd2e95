/**
 * Filter expressions and expression operations, with the official client's names (`exp.eq`,
 * `exp.binInt`, `exp.lists.size`, `exp.operations.read`, …). Builders check their arguments and
 * pack the expression right away (a `TypeError` names the builder and argument that is wrong);
 * what only the server can judge (operand types, a filter that is not boolean) fails the command
 * with `ERR_REQUEST_INVALID` (4).
 *
 * ```js
 * const { exp } = require('aerospike-napi')
 * const adults = exp.and(exp.ge(exp.binInt('age'), exp.int(18)), exp.binExists('email'))
 * await client.get(key, { filterExpression: adults })           // rejects with 27 when false
 * await client.scan('test', 'users').results({ filterExpression: adults })
 * ```
 * @module
 */
export { AerospikeExp, type } from './core'
export * from './builders'
export { let_ as let, var_ as var, var_ as _var } from './builders'
export {
  selectByPath,
  modifyByPath,
  pathSelectFlags,
  pathModifyFlags,
  loopVarPart,
  loopVarBool,
  loopVarInt,
  loopVarFloat,
  loopVarStr,
  loopVarBlob,
  loopVarList,
  loopVarMap,
  loopVarGeoJSON,
  loopVarHLL,
  loopVarNil,
} from './path'
export * as lists from './lists'
export * as maps from './maps'
export * as bit from './bit'
export * as hll from './hll'
export * as operations from './operations'
export { ExpOperation } from './operations'

import { AerospikeExp } from './core'

/** An expression from its base64 form (as produced by any Aerospike client). */
export const fromBase64 = AerospikeExp.fromBase64
