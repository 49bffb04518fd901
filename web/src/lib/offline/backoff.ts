// Retry timing while the outbox has work and the server cannot be reached: 5 s, 10 s, 20 s, … doubling
// after each consecutive failure, never more than 5 minutes apart. No jitter by default (the tests
// compute the values by hand); pass `jitter` (0..1) to spread many phones coming back at once.
export interface BackoffOptions {
  baseMs?: number
  capMs?: number
  /** Fraction of the delay to randomise away (0 = exact). */
  jitter?: number
  random?: () => number
}

export const BACKOFF_BASE_MS = 5_000
export const BACKOFF_CAP_MS = 5 * 60_000

/** Delay before the next attempt after `failures` consecutive failures (0 failures → run now). */
export function backoffMs(failures: number, options: BackoffOptions = {}): number {
  const { baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS, jitter = 0, random = Math.random } = options
  if (failures <= 0) return 0
  // 2^(failures-1) grows past any cap quickly; stop doubling before the number overflows.
  const exp = Math.min(failures - 1, 30)
  const delay = Math.min(capMs, baseMs * 2 ** exp)
  return jitter > 0 ? Math.round(delay * (1 - jitter * random())) : delay
}
