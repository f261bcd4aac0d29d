import type { ChunkLoader, Env } from '../platform/env'
import type { ZarazConsent } from '../types/zaraz'
import type { ModalHandle, ModalModule } from './modal'
import type { ConsentModeState } from './google'
import type * as Cmp from './cmp'
import { guardedMethods, type ConsentApi, type ConsentMethod } from './api'
import type { Choices } from './cookie'
import { createConsentGate, type ConsentGate } from './gate'
import { obj, readConsentSettings, str } from './settings'
import { cloneJson, isPlainObject } from '../lib/object'
import { trusted } from '../platform/trusted-types'
import { why, warn as say } from '../lib/warn'

export interface ConsentOptions {
  /** The whole config: its `consent` section and `settings.cookieDomain` are read. */
  config: unknown
  env: Env
  /** Loads the `consent-modal` chunk (when the modal is shown) and `consent-cmp` (when a bridge is needed). */
  load?: ChunkLoader
  nonce?: string
  note(tool: string, message: string): void
  /** Puts the gate's `#id` notes in words (debug mode): see `GateWorld.words`. */
  words?(note: string): string
  /** `zaraz.set` values already stored (persist, session): Consent Mode keys from earlier pages. */
  stored?: Readonly<Record<string, unknown>>
  /**
   * Resolves after the page's next paint. The modal opens then: `showModal()` makes the rest of
   * the page inert and focuses a control, which needs the page's style and layout. Opened before
   * the first paint, it computes them inside our script, a long task on a slow phone.
   */
  afterPaint?: () => Promise<void>
}

export interface Consent {
  /** The stage between the router and the tool host. */
  gate: ConsentGate
  /** `zaraz.consent` and `zaraz.showConsentModal()`. */
  api: ConsentApi
  /** Sees every `zaraz.set`: the Google Consent Mode keys are mapped onto purposes. */
  observe(key: string, value: unknown): void
}

/** The Google Consent Mode keys read from `zaraz.set`. */
const GCM = ['google_consent_default', 'google_consent_update']

const SET_HELP = 'The zaraz.consent.set method takes an object as an argument. The keys are the purpose ids, and values are booleans (true=has consent).'

/**
 * Consent for one page: the gate the pipeline hands deliveries to, and the page-facing API
 * (`zaraz.consent`, `zaraz.showConsentModal()`, as Zaraz documents them).
 *
 * - Cheap at start: with `consent.enabled` off nothing is read (no cookie, no purposes, no
 *   `__tcfapi`); the API reads the settings and the cookie when called.
 * - Existing CMPs (an IAB TCF v2 `__tcfapi` with consent on; Google Consent Mode keys set through
 *   `zaraz.set`, or a Google tool on a page with purposes) are followed by the `consent-cmp` chunk,
 *   loaded only then; every delivery waits, in order, while it loads.
 * - The modal (the `consent-modal` chunk) is shown on a first visit unless `hideModal` or a TCF CMP.
 * - Like Zaraz, `set` and `setAll` throw on a wrong argument (the only calls that throw into the
 *   page), with Zaraz's messages; everything else is a no-op or a console warning.
 * - The API is announced (`zarazConsentAPIReady`) after the current task, once installed.
 */
export function createConsent(o: ConsentOptions): Consent {
  const { env, load } = o
  /** A console warning (`env.console`). */
  const warn = (m: string) => say(env.console, m)
  const c = obj(o.config)
  const s = readConsentSettings(c.consent)
  const domain = obj(c.settings).cookieDomain
  const doc = env.document
  let tcf = false
  let asked = false
  /**
   * What the bridge replays in call order once loaded (see `Cmp.Early`): Consent Mode values set
   * before, the TCF CMP found at start, the Consent API's choices made while it loads (none kept
   * once it loaded or failed).
   */
  let early: Cmp.Early | undefined = []
  /** Takes a Consent Mode value: kept for the bridge, then (once it is attached) the bridge's. */
  let seen = (key: string, value: ConsentModeState) => {
    early?.push([key, value])
    bridge()
  }
  let handle: ModalHandle | undefined
  let opening = false
  let list: unknown
  /** The last error thrown on purpose (compared by identity: what a hostile argument throws is never read). */
  let mine: unknown

  /** Fires `zarazConsent<name>` on the document (ChoicesUpdated, ModalOpened, ModalClosed, APIReady). */
  const emit = (name: string) => {
    try {
      doc?.dispatchEvent(new Event('zarazConsent' + name))
    } catch {
      // A page without events: nothing to tell.
    }
  }
  const changed = (yes: boolean) => {
    if (yes) emit('ChoicesUpdated')
  }

  const bridge = () => {
    if (asked) return
    asked = true
    gate.wait(
      // Without a chunk loader, calling it throws: the bridges then count as not loaded.
      new Promise<typeof Cmp>((ok) => ok(load!('consent-cmp') as Promise<typeof Cmp>)).then(
        (m) => {
          seen = m.attach(gate, early!, env.window, changed)
          early = undefined
        },
        (e) => {
          early = undefined
          warn(`could not load the consent bridges (TCF, Consent Mode): ${why(e)}`)
        },
      ),
    )
  }

  const gate = createConsentGate(s, {
    document: doc,
    cookieDomain: str(domain),
    defer: (fn) => queueMicrotask(fn),
    note: o.note,
    words: o.words,
    google: bridge,
  })

  const each = <T>(f: (id: string) => T): Record<string, T> => Object.fromEntries(s.ids.map((id) => [id, f(id)]))
  const getAll = () => each((id) => gate.get(id) === true)
  const fail = (m: string): never => {
    mine = new TypeError(m)
    throw mine
  }

  /** Stores the choices (`null`: forgets them all), ticks the modal's boxes alike, tells the page. */
  const apply = (p: Choices | null) => {
    gate.set(p, true)
    // While the bridge loads, it replays this choice after what came before (Consent Mode, TCF).
    if (asked && early) early.push(['', p && { ...p }])
    handle?.set(p || each(() => false))
    emit('ChoicesUpdated')
  }

  const set = (prefs: unknown): void => {
    if (typeof prefs == 'boolean') fail(`${SET_HELP} If you want to (de)select all purposes, use zaraz.consent.setAll(true/false)`)
    if (!prefs || typeof prefs != 'object' || Array.isArray(prefs)) fail(SET_HELP)
    const p = prefs as Record<string, boolean>
    for (const id of Object.keys(p)) {
      if (!s.purposes[id]) fail(`Unknown purpose id: ${id}`)
      if (typeof p[id] != 'boolean') fail(`Invalid value for purpose ${id}: ${String(p[id])} (${typeof p[id]})`)
    }
    apply(p)
  }

  const show = () => {
    if (!s.enabled) return warn('the consent modal needs consent.enabled in the config')
    if (handle || opening || !load || !doc) return
    opening = true
    const open = (m: ModalModule) => {
      if (!opening) return
      opening = false
      handle = m.openModal({
        document: doc,
        settings: s,
        nonce: o.nonce,
        _trustedTypes: trusted(doc.defaultView ?? undefined),
        checked: getAll(),
        decide(choices) {
          apply(choices)
          gate.sendQueued()
        },
        closed() {
          handle = undefined
          emit('ModalClosed')
        },
      })
      emit('ModalOpened')
    }
    ;(load('consent-modal') as Promise<ModalModule>).then(
      (m) => {
        const openOnBody = () => {
          if (doc.body) open(m)
          else doc.addEventListener('DOMContentLoaded', () => open(m))
        }
        if (o.afterPaint) o.afterPaint().then(openOnBody)
        else openOnBody()
      },
      (e) => {
        opening = false
        warn(`could not load the consent modal: ${why(e)}`)
      },
    )
  }

  const methods: Record<string, ConsentMethod> = {
    get: (id: string) => (s.purposes[id] ? gate.get(id) === true : undefined),
    set,
    getAll,
    // `null` forgets every choice (Zaraz does the same); anything else goes through set's checks.
    setAll: (v: boolean | null) => (v === null ? apply(v) : set(each(() => v))),
    getAllCheckboxes: () => handle?.get() ?? getAll(),
    // The modal ignores unknown ids.
    setCheckboxes: (c: Choices) => {
      if (c) handle?.set(c)
    },
    setAllCheckboxes: (v: boolean) => {
      handle?.set(each(() => v))
    },
    sendQueuedEvents: gate.sendQueued,
  }
  const consent = {
    ...guardedMethods(methods, (e) => e === mine, warn),
    get modal() {
      return !!handle || opening
    },
    set modal(v: boolean) {
      // Shown (or loading): hidden; `false` while it loads: it is not shown.
      if (v) show()
      else if (opening) opening = false
      else handle?.close()
    },
    // Copied (texts too) and frozen on first read.
    get purposes() {
      list ||= Object.freeze(cloneJson(each((id) => s.purposes[id])))
      return list
    },
    // Read-only.
    get APIReady() {
      return true
    },
  }

  const observe = (key: string, value: unknown) => {
    if (GCM.includes(key) && isPlainObject(value)) seen(key, value as ConsentModeState)
  }
  for (const key of GCM) observe(key, o.stored?.[key])
  // A TCF CMP is looked for only with consent on.
  if (s.enabled && typeof (env.window as { __tcfapi?: unknown } | undefined)?.__tcfapi == 'function') {
    tcf = true
    early!.push(['tcf', null])
    bridge()
  }
  queueMicrotask(() => {
    emit('APIReady')
    if (s.enabled && !s.hideModal && !tcf && s.ids.some((id) => gate.get(id) === undefined)) show()
  })
  return { gate, api: { consent: consent as unknown as ZarazConsent, showConsentModal: show }, observe }
}
