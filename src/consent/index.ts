import type { ChunkLoader, Env } from '../platform/env'
import type { ConsentApi } from './api'
import type { ModalModule } from './modal'
import { createConsentApi } from './api'
import { createConsentGate, type ConsentGate } from './gate'
import { bridgeTcf } from './tcf'
import { readConsentSettings } from './settings'
import { isPlainObject } from '../lib/object'

export interface ConsentOptions {
  /** The whole config: its `consent` section and `settings.cookieDomain` are read. */
  config: unknown
  env: Env
  /** Loads the `consent-modal` chunk, only when the modal is shown. */
  load?: ChunkLoader
  nonce?: string
  note(tool: string, message: string): void
  warn(message: string): void
  /** `zaraz.set` values already stored (persist, session): Consent Mode keys from earlier pages. */
  stored?: Readonly<Record<string, unknown>>
}

export interface Consent {
  /** The stage between the router and the tool host. */
  gate: ConsentGate
  /** `zaraz.consent` and `zaraz.showConsentModal()`. */
  api: ConsentApi
  /** Sees every `zaraz.set`: the Google Consent Mode keys are mapped onto purposes. */
  observe(key: string, value: unknown): void
}

/**
 * Consent for one page: the gate the pipeline hands deliveries to, and the page-facing API. Existing
 * CMPs are followed (an IAB TCF v2 `__tcfapi`, Google Consent Mode keys set through `zaraz.set`);
 * the modal is shown on a first visit unless `hideModal` or a TCF CMP is on the page. The API is
 * announced (`zarazConsentAPIReady`) after the current task, once the entry point installed it.
 */
export function createConsent(o: ConsentOptions): Consent {
  const { env, config, load } = o
  const settings = readConsentSettings(isPlainObject(config) ? config.consent : undefined)
  const s = isPlainObject(config) && isPlainObject(config.settings) ? config.settings : {}
  const doc = env.document
  const gate = createConsentGate(settings, {
    document: doc,
    cookieDomain: typeof s.cookieDomain == 'string' && s.cookieDomain ? s.cookieDomain : undefined,
    defer: (fn) => queueMicrotask(fn),
    note: o.note,
  })
  const loadModal = load && (() => load('consent-modal') as Promise<ModalModule>)
  const api = createConsentApi({ gate, document: doc, loadModal, nonce: o.nonce, warn: o.warn })
  const changed = (yes: boolean) => void (yes && doc?.dispatchEvent(new Event('zarazConsentChoicesUpdated')))
  const observe = (key: string, value: unknown) => {
    const k = key == 'google_consent_default' ? 'default' : key == 'google_consent_update' ? 'update' : ''
    if (k && isPlainObject(value)) changed(gate.consentMode(k, value as Record<string, 'granted' | 'denied'>))
  }
  for (const key of ['google_consent_default', 'google_consent_update']) if (o.stored?.[key] !== undefined) observe(key, o.stored[key])
  const cmp = settings.enabled && bridgeTcf(env.window, settings, (c, persist) => changed(gate.set(c, persist)))
  queueMicrotask(() => {
    doc?.dispatchEvent(new Event('zarazConsentAPIReady'))
    if (settings.enabled && !settings.hideModal && !cmp && settings.ids.some((id) => gate.get(id) === undefined)) api.showConsentModal()
  })
  return { gate, api, observe }
}
