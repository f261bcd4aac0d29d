import type { Logger } from '../platform/env'

const PREFIX = '[tagrelay]'

/** Rejects with a TypeError that says what was expected, and warns once on the console. */
export function reject(log: Logger, message: string): Promise<never> {
  warn(log, message)
  return Promise.reject(new TypeError(message))
}

export function warn(log: Logger, ...args: unknown[]): void {
  log.warn(PREFIX, ...args)
}
