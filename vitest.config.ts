import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    pool: 'forks',
    include: ['__test__/**/*.test.ts'],
    globalSetup: ['__test__/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
