import type { ManagedComponent } from './mc'
import type { EcommerceEventName, EcommerceParams } from './ecommerce'

/** What `track()` and `ecommerce()` resolve to: each tool's `client.return` value, by tool id. */
export interface TrackResult {
  return: Record<string, unknown>
}

export type SetScope = 'page' | 'session' | 'persist'

export interface SetOptions {
  scope?: SetScope
}

export type EventProperties = Record<string, unknown>

/** A consent purpose as `zaraz.consent.purposes` lists it: texts by language code. */
export interface ZarazConsentPurpose {
  id: string
  name: Record<string, string>
  description: Record<string, string>
  order: number
}

/** `zaraz.consent`: the Zaraz Consent API (see docs/consent.md). */
export interface ZarazConsent {
  /** `true` granted, `false` not granted (or not decided yet), `undefined` no such purpose. */
  get(purposeId: string): boolean | undefined
  /** Throws on an unknown purpose id or a non-boolean value, as Zaraz does. */
  set(preferences: Record<string, boolean>): void
  getAll(): Record<string, boolean>
  /** `null` forgets every choice. */
  setAll(status: boolean | null): void
  getAllCheckboxes(): Record<string, boolean>
  setCheckboxes(status: Record<string, boolean>): void
  setAllCheckboxes(status: boolean): void
  /** Sends the pageview to tools whose purpose was granted after their pageview was dropped. */
  sendQueuedEvents(): void
  /** Whether the consent modal is shown; set it to show or hide the modal. */
  modal: boolean
  readonly purposes: Readonly<Record<string, ZarazConsentPurpose>>
  readonly APIReady: boolean
}

/** The global `zaraz` object: the Zaraz Web API. */
export interface Zaraz {
  track(name: string, properties?: EventProperties): Promise<TrackResult>
  ecommerce(name: EcommerceEventName, params?: EcommerceParams): Promise<TrackResult>
  ecommerce(name: string, params?: Record<string, unknown>): Promise<TrackResult>
  set(key: string, value: unknown, options?: SetOptions): void
  spaPageview(): Promise<TrackResult>
  registerTool(name: string, component: ManagedComponent): void
  debug(key?: string): void
  consent: ZarazConsent
  showConsentModal(): void
}
