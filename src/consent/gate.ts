import type { ToolDelivery } from '../tools/host/host'
import { readChoices, writeChoices, type Choices } from './cookie'
import { GOOGLE_COMPONENTS, type ConsentSettings } from './settings'
import { MAX_HELD_FOR_CONSENT } from '../lib/limits'

export interface GateWorld {
  document?: Document
  /** `settings.cookieDomain`; the registrable domain when absent. */
  cookieDomain?: string
  /** Runs `fn` soon, off the caller's stack (held events are released there). */
  defer(fn: () => void): void
  /** Debug notes: why a tool's event was held or dropped, as `#id` and its arguments, one a line. */
  note(tool: string, message: string): void
  /**
   * Puts an `#id` note in words (`describeNote` in src/debug/notes.ts, once the debugger is here):
   * for the reason in a delivery's debug line. Without it, the reason is the id.
   */
  words?(note: string): string
  /**
   * Called when a delivery to a Google tool passes while consent has purposes and no `decorate`
   * is set: the Consent Mode bridge is needed (the caller loads it, through `wait`).
   */
  google?(): void
}

/**
 * The consent gate, between the router and the tool host. A tool without a purpose, or any tool
 * while `consent.enabled` is off, gets its events at once. A tool with a purpose gets them while the
 * purpose is granted; while it is undecided they are held (in memory, for this page, bounded) and
 * delivered once, in order, when it is granted; when it is refused they are dropped. Pageview
 * deliveries dropped that way are kept for `sendQueuedEvents()`. While a consent bridge loads
 * (`wait`), every delivery waits, in order, and is decided once it has loaded.
 */
export interface ConsentGate {
  readonly settings: ConsentSettings
  /**
   * Hands a delivery to `deliver` (the tool host) now and returns its promise, or holds or drops
   * it and returns `undefined`; then its debug line (`d.decision`, when recorded) says not sent, and
   * why (through `words`). While a bridge loads, returns a promise that settles once the delivery
   * was decided (with `undefined` when it was held or dropped then).
   */
  pass(d: ToolDelivery, deliver: (d: ToolDelivery) => Promise<unknown>): Promise<unknown> | undefined
  /** A purpose's choice: `undefined` while undecided. */
  get(id: string): boolean | undefined
  /**
   * Whether what belongs to purpose `p` may reach its tool or leave now (docs/consent.md): `true`
   * with consent off or without a purpose; else the purpose's choice, `undefined` (undecided) while
   * a bridge loads too. The tool host and the transport ask it at the moment of each delivery,
   * call and attempt.
   */
  check(p?: string): boolean | undefined
  /** Set by the runtime (the transport's `recheck`): called once choices may have changed (after `set`, once the bridges loaded). */
  changed?(): void
  /** Records choices: in the cookie when `persist`, else as this page's defaults. Returns whether any changed. */
  set(choices: Choices | null, persist: boolean): boolean
  /** Delivers the dropped pageview deliveries of tools whose purpose is granted now. */
  sendQueued(): void
  /** Every stored choice and every purpose's current one, for `system.consent`. */
  choices(): Choices
  /**
   * Holds every delivery (and releases none) until `loading` settles: a bridge that may decide
   * purposes is loading. Once per page (the bridges are one chunk, loaded once).
   */
  wait(loading: Promise<unknown>): void
  /** Set by the Consent Mode bridge once loaded: adds the Consent Mode state to Google tools' deliveries. */
  decorate?(d: ToolDelivery): ToolDelivery
}

export function createConsentGate(settings: ConsentSettings, world: GateWorld): ConsentGate {
  const { enabled, cookieName } = settings
  const { document: doc, note } = world
  const words = world.words || String
  let deliver: (d: ToolDelivery) => Promise<unknown>
  /** This page's decisions (they count when the cookie holds no choice: it cannot be written), and defaults. */
  let page: Choices = {}
  let defaults: Choices = {}
  let held: ToolDelivery[] = []
  let missed: ToolDelivery[] = []
  let missedEvent: unknown
  let scheduled = false
  /** Settles once the bridges (`wait`) have loaded or failed: what waits for them is chained on it, in call order. */
  let loading: Promise<unknown> | undefined
  /** How many deliveries wait for it. */
  let waiting = 0

  const cookie = () => readChoices(doc, cookieName)
  /**
   * The cookie first: a choice another tab stored (a withdrawal too) counts here from that moment.
   * `c`: the cookie's choices, when the caller read them already (once for many deliveries).
   */
  const get = (id: string, c?: Choices): boolean | undefined => (c || cookie())[id] ?? page[id] ?? defaults[id]
  const check = (p?: string): boolean | undefined => {
    if (!enabled || !p) return true
    if (!loading) return get(p)
  }
  const out = (d: ToolDelivery) => deliver(gate.decorate?.(d) ?? d)
  const send = (d: ToolDelivery) => {
    out(d).catch(() => undefined)
  }

  /** Releases held deliveries whose purpose was decided since, in order. */
  const flush = () => {
    scheduled = false
    if (loading) return
    let c: Choices | undefined
    held = held.filter((d) => {
      const v = get(d.tool.purpose!, (c ||= cookie()))
      if (v) send(d)
      else if (v === false) miss(d)
      return v == null
    })
  }

  const miss = (d: ToolDelivery) => {
    if (d.name != 'Pageview') return
    if (d.facts.eventId != missedEvent) {
      missed = []
      missedEvent = d.facts.eventId
    }
    missed.push(d)
  }

  /** Releases or drops what is held, then tells the runtime (the transport holds requests too). */
  const update = () => {
    flush()
    gate.changed?.()
  }

  const decide = (d: ToolDelivery): Promise<unknown> | undefined => {
    flush()
    const { id, purpose: p } = d.tool
    const v = check(p)
    if (v) return out(d)
    // Why not (a note id: `#refused` or `#wait`, and the purpose), in its debug line when recorded.
    const why = (v === false ? '#refused\n' : '#wait\n') + p
    if (d.decision) {
      d.decision.sent = false
      d.decision.reason = words(why)
    }
    // Refused, or too many held: dropped.
    if (v === false || held.length >= MAX_HELD_FOR_CONSENT) {
      miss(d)
      note(id, v === false ? '#drop\n' + p : '#many')
    } else {
      held.push(d)
      note(id, why)
    }
  }

  const sendQueued = () => {
    if (loading) {
      loading.then(sendQueued)
      return
    }
    flush()
    // Granted now: sent, and forgotten; else kept.
    missed = missed.filter((d) => {
      const v = get(d.tool.purpose!)
      if (v) send(d)
      return !v
    })
  }

  const gate: ConsentGate = {
    settings,
    get,
    check,
    pass(d, next) {
      deliver = next
      if (!gate.decorate && enabled && GOOGLE_COMPONENTS.includes(d.tool.component) && settings.ids.length) world.google?.()
      if (!loading) return decide(d)
      if (waiting++ >= MAX_HELD_FOR_CONSENT) {
        note(d.tool.id, '#many')
        return
      }
      note(d.tool.id, '#bridges')
      return loading.then(() => decide(d))
    },
    set(choices, persist) {
      // Every purpose's choice as text ("true,,false").
      const state = () => settings.ids.map((id) => get(id)) + ''
      const before = state()
      // `null` forgets the stored choices (and deletes the cookie).
      if (!choices || persist) {
        page = choices ? { ...page, ...choices } : {}
        writeChoices(doc, cookieName, choices && { ...cookie(), ...choices }, world.cookieDomain)
      } else defaults = { ...defaults, ...choices }
      if (!scheduled) {
        scheduled = true
        world.defer(update)
      }
      return state() != before
    },
    sendQueued,
    choices() {
      const out: Choices = { ...cookie(), ...page }
      for (const id of settings.ids) out[id] = get(id) === true
      return out
    },
    wait(p) {
      // `loading` stays set until `done`, the first callback on it, runs: what waits (chained on it,
      // even just after `p` settled) is then decided right after, in call order, before anything else.
      const done = () => {
        loading = undefined
        waiting = 0
        update()
      }
      loading = p.catch(() => 0)
      loading.then(done)
    },
  }
  return gate
}
