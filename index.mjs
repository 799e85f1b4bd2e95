// ESM entry: the same module as the CommonJS entry (one copy of the addon and its state). Node
// reads the names of the CommonJS exports statically, so every runtime export of index.js is a
// named export here too (__test__/package.test.ts compares the two sets).
import cjs from './index.js'

export * from './index.js'
export default cjs
