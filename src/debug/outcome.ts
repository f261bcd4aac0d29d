import type { Decision } from '../router/router'

/**
 * What became of an event at one tool or action, as the panel's outcome filter names it: sent;
 * held (waiting for consent); blocked (a blocking trigger, refused consent, too many held); not
 * matched (no firing trigger, an exclude rule, e-commerce off).
 */
export type Outcome = 'sent' | 'held' | 'blocked' | 'not matched'

export const OUTCOMES: Outcome[] = ['sent', 'held', 'blocked', 'not matched']

/** The first words of the reasons (src/router/explain.ts, the consent gate's in src/debug/notes.ts) of the held and the blocked. */
const HELD = ['waiting for']
const BLOCKED = ['blocking trigger', 'consent for purpose']

const startsWithAny = (reason: string, starts: string[]) => starts.some((start) => reason.startsWith(start))

export function outcomeOf(d: Pick<Decision, 'sent' | 'reason'>): Outcome {
  if (d.sent) return 'sent'
  if (startsWithAny(d.reason, HELD)) return 'held'
  if (startsWithAny(d.reason, BLOCKED)) return 'blocked'
  return 'not matched'
}
