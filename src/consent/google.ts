import type { ToolDelivery } from '../tools/host/host'
import type { Choices } from './cookie'
import type { ConsentGate } from './gate'
import { GOOGLE_COMPONENTS, GOOGLE_KEYS, purposeKind, type ConsentSettings } from './settings'

/** Google Consent Mode state: `ad_storage`, `ad_user_data`, `ad_personalization`, `analytics_storage`. */
export type ConsentModeState = Record<string, 'granted' | 'denied'>


/**
 * Which Consent Mode keys decide each purpose: `consent.googleConsentMode` when the config has it,
 * else by the purpose's kind: advertising purposes ← the three `ad_*` keys, analytics purposes ←
 * `analytics_storage`, others ← none.
 */
export function consentModeMapping(s: ConsentSettings): Record<string, string[]> {
  const m = s.raw.googleConsentMode as Record<string, string[]> | undefined
  const out: Record<string, string[]> = {}
  for (const id of s.ids) {
    const kind = purposeKind(s.purposes[id])
    let keys: string[] | undefined
    if (m && typeof m == 'object') keys = m[id]
    else if (kind == 'ads') keys = GOOGLE_KEYS.slice(0, 3)
    else if (kind == 'analytics') keys = [GOOGLE_KEYS[3]]
    if (Array.isArray(keys) && keys.length) out[id] = keys
  }
  return out
}

/** Purposes a Consent Mode state decides: refused when a key is denied, granted when all are granted. */
export function purposesFromConsentMode(state: ConsentModeState, mapping: Record<string, string[]>): Choices {
  const out: Choices = {}
  for (const id of Object.keys(mapping)) {
    const v = mapping[id].map((k) => state[k])
    if (v.includes('denied')) out[id] = false
    else if (v.every((x) => x == 'granted')) out[id] = true
  }
  return out
}

/** The Consent Mode state the purposes imply: a key is granted once every purpose mapped to it is. */
export function consentModeFromPurposes(get: (id: string) => boolean | undefined, mapping: Record<string, string[]>): ConsentModeState {
  const out: ConsentModeState = {}
  for (const id of Object.keys(mapping))
    for (const k of mapping[id]) out[k] = get(id) === true && out[k] != 'denied' ? 'granted' : 'denied'
  return out
}

/** The `gcs` parameter Google's endpoints take: `G1` + ad_storage + analytics_storage (1 granted, 0 denied). */
export function gcs(state: ConsentModeState): string {
  return 'G1' + (state.ad_storage == 'granted' ? 1 : 0) + (state.analytics_storage == 'granted' ? 1 : 0)
}

/** The Consent Mode bridge of one page, made once its chunk has loaded. */
export interface ConsentModeBridge {
  /**
   * A `zaraz.set('google_consent_default' | 'google_consent_update', …)` value, merged as Consent
   * Mode merges them: an update decides the purposes mapped to its keys (stored like `set`), a
   * default only grants, for this page. Returns whether a purpose's choice changed.
   */
  observe(key: string, state: ConsentModeState): boolean
  /** A delivery to a Google tool, with the Consent Mode state in its payload (others as they are). */
  decorate(d: ToolDelivery): ToolDelivery
}

export function consentMode(gate: ConsentGate): ConsentModeBridge {
  const s = gate.settings
  const mapping = consentModeMapping(s)
  const mode: { default?: ConsentModeState; update?: ConsentModeState } = {}
  return {
    observe(key, state) {
      const k = key == 'google_consent_default' ? 'default' : 'update'
      const merged = (mode[k] = { ...mode[k], ...state })
      if (!s.enabled) return false
      const decided = purposesFromConsentMode(merged, mapping)
      // A default only grants (regions where consent is not needed); denied by default is still undecided.
      if (k == 'default') for (const id of Object.keys(decided)) if (!decided[id]) delete decided[id]
      return gate.set(decided, k == 'update')
    },
    decorate(d) {
      if (!GOOGLE_COMPONENTS.includes(d.tool.component)) return d
      const update = mode.update ?? (s.enabled && s.ids.length ? consentModeFromPurposes(gate.get, mapping) : undefined)
      const extra: Record<string, unknown> = {}
      if (mode.default && !('google_consent_default' in d.payload)) extra.google_consent_default = mode.default
      if (update && !('google_consent_update' in d.payload)) extra.google_consent_update = update
      return { ...d, payload: { ...d.payload, ...extra } }
    },
  }
}
