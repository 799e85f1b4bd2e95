/**
 * The private generated binding. Everything public goes through the facade modules.
 * @module
 * @internal
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const native: typeof import('../native') = require('../native.js')
