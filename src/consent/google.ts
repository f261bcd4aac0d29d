import type { Choices } from './cookie'
import { GOOGLE_KEYS, purposeKind, type ConsentSettings } from './settings'

/** Google Consent Mode state: `ad_storage`, `ad_user_data`, `ad_personalization`, `analytics_storage`. */
export type ConsentModeState = Record<string, 'granted' | 'denied'>

/** The component names of Zaraz's Google tools: their deliveries carry the Consent Mode state. */
export const GOOGLE_COMPONENTS = ['google-analytics-4', 'google-analytics', 'google-ads']

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
    const keys = m && typeof m == 'object' ? m[id] : kind == 'ads' ? GOOGLE_KEYS.slice(0, 3) : kind == 'analytics' ? [GOOGLE_KEYS[3]] : undefined
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
