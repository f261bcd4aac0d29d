import type { Choices } from './cookie'
import { purposeKind, type ConsentSettings } from './settings'

/** The TCF purposes a purpose stands for when the config maps none, by what it is for (purposeKind). */
const DEFAULT_TCF_PURPOSES = { ads: [1, 2, 3, 4, 7], analytics: [1, 8, 9], '': [1] }

/** What an IAB TCF v2 CMP passes to `__tcfapi('addEventListener', 2, cb)` (the fields read here). */
export interface TCData {
  gdprApplies?: boolean
  eventStatus?: string
  purpose?: { consents?: Record<string, boolean>; legitimateInterests?: Record<string, boolean> }
}

type TcfApi = (command: string, version: number, cb: (data: TCData, success: boolean) => void) => void

/**
 * Which TCF purposes each of our purposes needs: `consent.tcfPurposes` when the config has it,
 * else by kind: advertising [1, 2, 3, 4, 7], analytics [1, 8, 9], others [1].
 */
export function tcfMapping(s: ConsentSettings): Record<string, number[]> {
  const m = s.raw.tcfPurposes as Record<string, number[]> | undefined
  const out: Record<string, number[]> = {}
  for (const id of s.ids) {
    const kind = purposeKind(s.purposes[id])
    if (m && typeof m == 'object') out[id] = m[id] || []
    else out[id] = [...DEFAULT_TCF_PURPOSES[kind]]
  }
  return out
}

/**
 * Our purposes from a TC string's decisions: granted when every mapped TCF purpose is allowed, by
 * consent or, for the purposes TCF 2.2 lets rest on it (2, 7–11), by legitimate interest.
 */
export function purposesFromTcf(data: TCData, mapping: Record<string, number[]>): Choices {
  const c = data.purpose?.consents ?? {}
  const li = data.purpose?.legitimateInterests ?? {}
  const out: Choices = {}
  for (const id of Object.keys(mapping)) out[id] = mapping[id].every((n) => c[n] === true || ((n == 2 || n >= 7) && li[n] === true))
  return out
}

/**
 * Follows the page's TCF CMP, when there is one: `apply(choices, persist)` runs once the visitor's
 * choices are known (`tcloaded`, `useractioncomplete`); when GDPR does not apply every purpose is
 * granted for this page only. Returns whether a CMP was found.
 */
export function bridgeTcf(w: Window | undefined, s: ConsentSettings, apply: (c: Choices, persist: boolean) => void): boolean {
  const api = (w as (Window & { __tcfapi?: TcfApi }) | undefined)?.__tcfapi
  if (typeof api != 'function') return false
  const mapping = tcfMapping(s)
  try {
    api('addEventListener', 2, (data, success) => {
      if (!success || !data) return
      if (data.gdprApplies === false) apply(Object.fromEntries(s.ids.map((id) => [id, true])), false)
      else if (data.eventStatus == 'tcloaded' || data.eventStatus == 'useractioncomplete') apply(purposesFromTcf(data, mapping), true)
    })
  } catch {
    // A broken CMP is no CMP.
  }
  return true
}
