/**
 * The circuit breaker's settings (`config.maxErrorRate`, `config.errorRateWindow`): once a node
 * sees more than `maxErrorRate` errors within `errorRateWindow` tend intervals, commands to it
 * fail fast with `status.MAX_ERROR_RATE` until the window ends. As in the official client, a pair
 * whose ratio (errors per tend) is outside 1–100 falls back to the defaults (100 per 1 tend), and
 * values that are not integers are ignored.
 * @module
 */

export const DEFAULT_MAX_ERROR_RATE = 100
export const DEFAULT_ERROR_RATE_WINDOW = 1

/** The settings handed to the Rust core. */
export function circuitBreaker(maxErrorRate: unknown, errorRateWindow: unknown): { maxErrorRate: number; errorRateWindow: number } {
  const rate = Number.isInteger(maxErrorRate) && (maxErrorRate as number) >= 0 ? (maxErrorRate as number) : DEFAULT_MAX_ERROR_RATE
  const window = Number.isInteger(errorRateWindow) && (errorRateWindow as number) >= 1 ? (errorRateWindow as number) : DEFAULT_ERROR_RATE_WINDOW
  // 0 turns the breaker off.
  if (rate === 0) return { maxErrorRate: 0, errorRateWindow: window }
  const ratio = rate / window
  if (ratio < 1 || ratio > 100) return { maxErrorRate: DEFAULT_MAX_ERROR_RATE, errorRateWindow: DEFAULT_ERROR_RATE_WINDOW }
  return { maxErrorRate: rate, errorRateWindow: window }
}
