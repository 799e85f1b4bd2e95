/**
 * The op codes of list, bitwise and HyperLogLog operations on the wire (the first element of a
 * CDT payload; wire protocol reference §7.2, §7.7; map codes are `map_opcodes.ts`). The
 * expression builders pack them, and the operations of `operate()` name themselves by them in
 * the request format (`crates/napi/src/cdt_ops/`), so there is one numbering.
 * @module
 * @internal
 */

/** List op codes. A remove selection's code is its get code + 13. */
export const LIST_OP = Object.freeze({
  SET_TYPE: 0,
  APPEND: 1,
  APPEND_ITEMS: 2,
  INSERT: 3,
  INSERT_ITEMS: 4,
  POP: 5,
  POP_RANGE: 6,
  REMOVE: 7,
  REMOVE_RANGE: 8,
  SET: 9,
  TRIM: 10,
  CLEAR: 11,
  INCREMENT: 12,
  SORT: 13,
  SIZE: 16,
  GET: 17,
  GET_RANGE: 18,
  GET_BY_INDEX: 19,
  GET_BY_RANK: 21,
  GET_ALL_BY_VALUE: 22,
  GET_BY_VALUE_LIST: 23,
  GET_BY_INDEX_RANGE: 24,
  GET_BY_VALUE_INTERVAL: 25,
  GET_BY_RANK_RANGE: 26,
  GET_BY_VALUE_REL_RANK_RANGE: 27,
  REMOVE_BY_INDEX: 32,
  REMOVE_BY_RANK: 34,
  REMOVE_ALL_BY_VALUE: 35,
  REMOVE_BY_VALUE_LIST: 36,
  REMOVE_BY_INDEX_RANGE: 37,
  REMOVE_BY_VALUE_INTERVAL: 38,
  REMOVE_BY_RANK_RANGE: 39,
  REMOVE_BY_VALUE_REL_RANK_RANGE: 40,
} as const)

/** Bit op codes. */
export const BIT_OP = Object.freeze({
  RESIZE: 0,
  INSERT: 1,
  REMOVE: 2,
  SET: 3,
  OR: 4,
  XOR: 5,
  AND: 6,
  NOT: 7,
  LSHIFT: 8,
  RSHIFT: 9,
  ADD: 10,
  SUBTRACT: 11,
  SET_INT: 12,
  GET: 50,
  COUNT: 51,
  LSCAN: 52,
  RSCAN: 53,
  GET_INT: 54,
} as const)

/** HyperLogLog op codes. */
export const HLL_OP = Object.freeze({
  INIT: 0,
  ADD: 1,
  SET_UNION: 2,
  REFRESH_COUNT: 3,
  FOLD: 4,
  COUNT: 50,
  GET_UNION: 51,
  UNION_COUNT: 52,
  INTERSECT_COUNT: 53,
  SIMILARITY: 54,
  DESCRIBE: 55,
  MAY_CONTAIN: 56,
} as const)

/**
 * Return types of list and map selections (`getBy*` / `removeBy*`): what they answer. A list
 * selection answers all but the map-only ones (KEY, KEY_VALUE and the map shapes).
 */
export const RETURN = Object.freeze({
  NONE: 0,
  INDEX: 1,
  REVERSE_INDEX: 2,
  RANK: 3,
  REVERSE_RANK: 4,
  COUNT: 5,
  KEY: 6,
  VALUE: 7,
  KEY_VALUE: 8,
  EXISTS: 13,
  UNORDERED_MAP: 16,
  ORDERED_MAP: 17,
} as const)
/** The bit that inverts a selection (everything but what it names); OR'd into a return type. */
export const RETURN_INVERTED = 0x10000
/** The return types of map selections: every one. */
export const MAP_RETURNS: readonly number[] = Object.values(RETURN)
/** The return types of list selections. */
export const LIST_RETURNS: readonly number[] = MAP_RETURNS.filter(
  (rt) => rt !== RETURN.KEY && rt !== RETURN.KEY_VALUE && rt !== RETURN.UNORDERED_MAP && rt !== RETURN.ORDERED_MAP,
)
