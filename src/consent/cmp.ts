// The bridges to existing CMPs (IAB TCF v2, Google Consent Mode): the `consent-cmp` chunk, loaded
// only when a page needs one (see docs/consent.md, "Existing CMPs").
import type { ConsentGate } from './gate'
import type { Choices } from './cookie'
import { bridgeTcf } from './tcf'
import { consentMode, type ConsentModeState } from './google'

/**
 * What happened before the chunk arrived, in call order: Consent Mode values (key, state), the TCF
 * CMP found at start (key `tcf`) and (key '') choices the Consent API made while the chunk loaded.
 */
export type Early = Array<[string, ConsentModeState | Choices | null]>

/**
 * Attaches the bridges to the gate, once the chunk has loaded: the Consent Mode state on Google
 * tools' deliveries, then `early` replayed in call order (a later choice still wins over an earlier
 * value or CMP answer): Consent Mode values, the TCF CMP of `w` (a CMP that answers at once
 * decides there), the Consent API's choices. `changed` hears whether each decided a purpose.
 * Returns what takes each later Consent Mode value.
 */
export function attach(
  gate: ConsentGate,
  early: Early,
  w: Window | undefined,
  changed: (yes: boolean) => void,
): (key: string, state: ConsentModeState) => void {
  const mode = consentMode(gate)
  const observe = (key: string, state: ConsentModeState) => changed(mode.observe(key, state))
  const set = (c: Choices | null, persist: boolean) => changed(gate.set(c, persist))
  gate.decorate = mode.decorate
  for (const [k, v] of early) {
    if (k == 'tcf') bridgeTcf(w, gate.settings, set)
    else if (k) observe(k, v as ConsentModeState)
    else set(v as Choices | null, true)
  }
  return observe
}
