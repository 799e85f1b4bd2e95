'use strict'
// Package entry: the TypeScript facade compiled to dist/ (see src/).
module.exports = require('./dist/index.js')
