import { readCookies } from '../lib/cookies'

/** Debug mode is on when the `zarazDebug` cookie holds the config's `debugKey`. */
export function debugEnabled(doc: Document | undefined, debugKey: unknown): boolean {
  return !!debugKey && readCookies(doc).zarazDebug === debugKey
}
