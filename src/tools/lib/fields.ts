/**
 * The fields of an event as vendor tools that send every field pass them on. Shared by the
 * catalogue tools; what a tool imports from here is copied into its own chunk only.
 */
import { CONSENT_MODE_KEYS, type Params } from './vendor'

/**
 * `payload` without the Consent Mode state (`google_consent_default` / `_update`, which `zaraz.set`
 * values bring into payloads that include the event properties): page state, not event data.
 */
export function eventFields(payload: Params | undefined): Params {
  const out: Params = {}
  for (const k of Object.keys(payload ?? {})) if (!CONSENT_MODE_KEYS.includes(k)) out[k] = payload![k]
  return out
}
