import { readCookies } from '../lib/cookies'
import type { Tool } from '../config/model'

/**
 * The consent gate between the router and the tools. A tool without a purpose needs no consent;
 * a tool with one gets events only while the visitor's choice for that purpose is `true` in the
 * consent cookie. With `consent.enabled` off the gate is open.
 */
export interface ConsentGate {
  /** '' when the tool may receive the event, else the reason it may not. */
  check(tool: Tool): string
  /** The current choices, for `system.consent`. */
  choices(): Record<string, boolean>
}

export function createConsentGate(consent: Record<string, unknown> | undefined, doc: Document | undefined): ConsentGate {
  const enabled = consent?.enabled === true
  const cookieName = typeof consent?.cookieName == 'string' && consent.cookieName ? consent.cookieName : 'zaraz-consent'
  const choices = (): Record<string, boolean> => {
    const out: Record<string, boolean> = {}
    try {
      const parsed = JSON.parse(readCookies(doc)[cookieName] ?? '{}')
      for (const k of Object.keys(parsed)) if (k != '__proto__') out[k] = parsed[k] === true
    } catch {
      // An unreadable cookie is no choice at all.
    }
    return out
  }
  return {
    check(tool) {
      if (!enabled || !tool.purpose) return ''
      return choices()[tool.purpose] === true ? '' : `consent for purpose "${tool.purpose}" is not granted`
    },
    choices: () => (enabled ? choices() : {}),
  }
}
