import type { Tool } from '../config/model'
import type { ToolDelivery } from '../tools/host/host'
import { readChoices, writeChoices, type Choices } from './cookie'
import { consentModeFromPurposes, consentModeMapping, purposesFromConsentMode, GOOGLE_COMPONENTS, type ConsentModeState } from './google'
import type { ConsentSettings } from './settings'

/** Deliveries held for undecided purposes, per page; past this, new ones are dropped (the first pageview stays). */
export const MAX_HELD = 500

export interface GateWorld {
  document?: Document
  /** `settings.cookieDomain`; the registrable domain when absent. */
  cookieDomain?: string
  /** Runs `fn` soon, off the caller's stack (held events are released there). */
  defer(fn: () => void): void
  /** Debug notes: why a tool's event was held or dropped. */
  note(tool: string, message: string): void
}

/**
 * The consent gate, between the router and the tool host. A tool without a purpose, or any tool
 * while `consent.enabled` is off, gets its events at once. A tool with a purpose gets them while the
 * purpose is granted; while it is undecided they are held (in memory, for this page, bounded) and
 * delivered once, in order, when it is granted; when it is refused they are dropped. Pageview
 * deliveries dropped that way are kept for `sendQueuedEvents()`.
 */
export interface ConsentGate {
  readonly settings: ConsentSettings
  /**
   * Hands a delivery to `deliver` (the tool host) now and returns its promise, or holds or drops
   * it and returns `undefined` (`check` says why).
   */
  pass(d: ToolDelivery, deliver: (d: ToolDelivery) => Promise<unknown>): Promise<unknown> | undefined
  /** '' when the tool may get events now, else why not. */
  check(tool: Tool): string
  /** A purpose's choice: `undefined` while undecided. */
  get(id: string): boolean | undefined
  /** Records choices: in the cookie when `persist`, else as this page's defaults. Returns whether any changed. */
  set(choices: Choices | null, persist: boolean): boolean
  /** Delivers the dropped pageview deliveries of tools whose purpose is granted now. */
  sendQueued(): void
  /** Every stored choice and every purpose's current one, for `system.consent`. */
  choices(): Choices
  /**
   * A `zaraz.set('google_consent_default' | 'google_consent_update', …)` value, merged as Consent
   * Mode merges them: an update decides the purposes mapped to its keys (stored like `set`), a
   * default only grants, for this page. Returns whether a purpose's choice changed.
   */
  consentMode(key: 'default' | 'update', state: ConsentModeState): boolean
}

export function createConsentGate(settings: ConsentSettings, world: GateWorld): ConsentGate {
  const { enabled, cookieName, ids } = settings
  const doc = world.document
  let deliver: (d: ToolDelivery) => Promise<unknown> = () => Promise.resolve()
  /** This page's decisions (they win over the cookie when it cannot be written), and defaults. */
  let page: Choices = {}
  let defaults: Choices = {}
  let held: ToolDelivery[] = []
  let missed: ToolDelivery[] = []
  let missedEvent = ''
  let scheduled = false
  const mode: { default?: ConsentModeState; update?: ConsentModeState } = {}
  const mapping = consentModeMapping(settings)

  const get = (id: string): boolean | undefined => page[id] ?? readChoices(doc, cookieName)[id] ?? defaults[id]

  const miss = (d: ToolDelivery) => {
    if (d.name != 'Pageview') return
    if (d.facts.eventId != missedEvent) (missed = []), (missedEvent = d.facts.eventId)
    missed.push(d)
  }

  const send = (d: ToolDelivery): Promise<unknown> => {
    if (GOOGLE_COMPONENTS.includes(d.tool.component)) {
      const update = mode.update ?? (enabled && ids.length ? consentModeFromPurposes(get, mapping) : undefined)
      const extra: Record<string, unknown> = {}
      if (mode.default && !('google_consent_default' in d.payload)) extra.google_consent_default = mode.default
      if (update && !('google_consent_update' in d.payload)) extra.google_consent_update = update
      d = { ...d, payload: { ...d.payload, ...extra } }
    }
    return deliver(d)
  }

  /** Releases held deliveries whose purpose was decided since, in order. */
  const flush = () => {
    scheduled = false
    if (!held.length) return
    const keep: ToolDelivery[] = []
    for (const d of held) {
      const v = get(d.tool.purpose!)
      if (v) void send(d).catch(() => undefined)
      else if (v === false) miss(d)
      else keep.push(d)
    }
    held = keep
  }

  const set = (choices: Choices | null, persist: boolean): boolean => {
    const before = JSON.stringify(ids.map(get))
    if (!choices) {
      page = {}
      writeChoices(doc, cookieName, null, world.cookieDomain)
    } else if (persist) {
      page = { ...page, ...choices }
      writeChoices(doc, cookieName, { ...readChoices(doc, cookieName), ...choices }, world.cookieDomain)
    } else defaults = { ...defaults, ...choices }
    if (!scheduled) (scheduled = true), world.defer(flush)
    return JSON.stringify(ids.map(get)) != before
  }

  const check = (tool: Tool): string => {
    const p = tool.purpose
    if (!enabled || !p) return ''
    const v = get(p)
    return v ? '' : v === false ? `consent for purpose "${p}" is refused` : `waiting for consent for purpose "${p}" (held until the visitor decides)`
  }

  return {
    settings,
    check,
    get,
    pass(d, next) {
      deliver = next
      flush()
      const why = check(d.tool)
      if (!why) return send(d)
      const refused = get(d.tool.purpose!) === false
      if (refused || held.length >= MAX_HELD) {
        miss(d)
        world.note(d.tool.id, refused ? why + '; event dropped' : `${MAX_HELD} events already wait for consent; event dropped`)
      } else {
        held.push(d)
        world.note(d.tool.id, why)
      }
      return undefined
    },
    set,
    sendQueued() {
      flush()
      const later: ToolDelivery[] = []
      for (const d of missed) if (get(d.tool.purpose!)) void send(d).catch(() => undefined)
      else later.push(d)
      missed = later
    },
    choices() {
      const out: Choices = { ...readChoices(doc, cookieName), ...page }
      for (const id of ids) out[id] = get(id) === true
      return out
    },
    consentMode(key, state) {
      const merged = (mode[key] = { ...mode[key], ...state })
      if (!enabled) return false
      const decided = purposesFromConsentMode(merged, mapping)
      // A default only grants (regions where consent is not needed); denied by default is still undecided.
      if (key == 'default') for (const id of Object.keys(decided)) if (!decided[id]) delete decided[id]
      return set(decided, key == 'update')
    },
  }
}
