// The bridges to existing CMPs (IAB TCF v2, Google Consent Mode): the `consent-cmp` chunk, loaded
// only when a page needs one (see docs/consent.md, "Existing CMPs").
import type { ConsentGate } from './gate'
import type { Choices } from './cookie'
import { bridgeTcf } from './tcf'
import { consentMode, type ConsentModeState } from './google'

/** Consent Mode values (key, state) and, key '', choices the Consent API made, in call order. */
export type Early = Array<[string, ConsentModeState | Choices | null]>

/**
 * Attaches the bridges to the gate, once the chunk has loaded: the Consent Mode state on Google
 * tools' deliveries, the Consent Mode values set before (`early`, in order, with the Consent API's
 * choices made meanwhile: a later choice still wins over an earlier value), and the TCF CMP of
 * `tcf` (the page's window, when it had `__tcfapi` at start with consent on). `changed` hears
 * whether each decided a purpose. Returns what takes each later Consent Mode value.
 */
export function attach(
  gate: ConsentGate,
  early: Early,
  tcf: Window | false | undefined,
  changed: (yes: boolean) => void,
): (key: string, state: ConsentModeState) => void {
  const mode = consentMode(gate)
  const observe = (key: string, state: ConsentModeState) => changed(mode.observe(key, state))
  gate.decorate = mode.decorate
  for (const [k, v] of early) k ? observe(k, v as ConsentModeState) : changed(gate.set(v as Choices | null, true))
  if (tcf) bridgeTcf(tcf, gate.settings, (c, persist) => changed(gate.set(c, persist)))
  return observe
}
