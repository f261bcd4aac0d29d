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
    let cookie = ''
    try {
      cookie = doc?.cookie ?? ''
    } catch {
      return {}
    }
    for (const pair of cookie.split(';')) {
      const i = pair.indexOf('=')
      if (pair.slice(0, i).trim() != cookieName) continue
      try {
        const parsed = JSON.parse(decodeURIComponent(pair.slice(i + 1).trim()))
        const out: Record<string, boolean> = {}
        for (const k of Object.keys(parsed)) if (k != '__proto__') out[k] = parsed[k] === true
        return out
      } catch {
        return {}
      }
    }
    return {}
  }
  return {
    check(tool) {
      if (!enabled || !tool.purpose) return ''
      return choices()[tool.purpose] === true ? '' : `consent for purpose "${tool.purpose}" is not granted`
    },
    choices: () => (enabled ? choices() : {}),
  }
}
