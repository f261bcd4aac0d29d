import { OUTBOX_LIMITS } from './outbox'

/** Attempts in a round: after each round the caller's promise settles and the request pauses. */
const ROUND = 4
/** Rounds a page view tries a request before it leaves it to the next page view. */
const ROUNDS = 3

/** An attempt's answer: its HTTP status (0: none), error (none: delivered), and `Retry-After` header. */
export interface Answer {
  status: number
  error?: string
  _retryAfter?: string | null
}

/**
 * What the transport does next with a request:
 * - `finish`: delivered, or a final answer (a 4xx other than 429);
 * - `retry` after `_wait` ms; `_roundOver`: a round of attempts ended (the caller's promise settles);
 * - `stop`: this page view gives up on it; `_keep`: stored for the next page view, else dropped.
 */
export type NextStep = { _step: 'finish' } | { _step: 'retry'; _wait: number; _roundOver: boolean } | { _step: 'stop'; _keep: boolean }

/**
 * The retry policy: network errors, timeouts, 5xx and 429 are retried with exponential backoff and
 * jitter (`random()` in [0, 1)), or after `Retry-After` seconds (at most 60 s); after each round of 4
 * attempts a pause of `pause` ms; after 3 rounds in a page view, or 20 attempts in all (`total`), or
 * without storage (`canStore`), the page view stops. See docs/delivery.md.
 */
export function nextStep(answer: Answer, here: number, total: number, canStore: () => boolean, random: () => number, pause: number): NextStep {
  const { status, error } = answer
  if (!error) return { _step: 'finish' }
  if (status && status != 429 && status < 500) return { _step: 'finish' }
  if (here % ROUND) return { _step: 'retry', _wait: backoff(here, answer._retryAfter, random), _roundOver: false }
  if (here >= ROUND * ROUNDS || total >= OUTBOX_LIMITS.attempts || !canStore()) return { _step: 'stop', _keep: total < OUTBOX_LIMITS.attempts }
  return { _step: 'retry', _wait: pause, _roundOver: true }
}

/** The wait before attempt `here + 1`: `Retry-After` in seconds when given, else 0.5 s doubling, with jitter, at most 30 s. */
function backoff(here: number, retryAfter: string | null | undefined, random: () => number) {
  const seconds = Number(retryAfter || NaN)
  if (seconds >= 0) return Math.min(seconds * 1000, 60_000)
  return Math.min(500 * 2 ** (here - 1) * (1 + random()), 30_000)
}
