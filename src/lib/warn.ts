import type { Logger } from '../platform/env'

/** What starts every line tagrelay writes to the console. */
export const PREFIX = '[tagrelay]'

/** Rejects with a TypeError that says what was expected, and warns once on the console. */
export function reject(log: Logger, message: string): Promise<never> {
  warn(log, message)
  return Promise.reject(new TypeError(message))
}

export function warn(log: Logger, ...args: unknown[]): void {
  log.warn(PREFIX, ...args)
}

/** What a caught value says, whatever was thrown (a Symbol, an object whose `message` getter throws...). */
export function why(e: unknown): string {
  try {
    return String((e as Error)?.message ?? e)
  } catch {
    return 'an unreadable error'
  }
}
