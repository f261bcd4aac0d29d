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

/** The global `zaraz` object: the Zaraz Web API. */
export interface Zaraz {
  track(name: string, properties?: EventProperties): Promise<TrackResult>
  ecommerce(name: EcommerceEventName, params?: EcommerceParams): Promise<TrackResult>
  ecommerce(name: string, params?: Record<string, unknown>): Promise<TrackResult>
  set(key: string, value: unknown, options?: SetOptions): void
  spaPageview(): Promise<TrackResult>
  registerTool(name: string, component: ManagedComponent): void
  debug(key?: string): void
}
