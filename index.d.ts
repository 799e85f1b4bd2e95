export * from './dist/index'
