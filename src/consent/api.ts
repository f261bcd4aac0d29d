import type { ZarazConsent, ZarazConsentPurpose } from '../types/zaraz'
import type { Choices } from './cookie'
import type { ConsentGate } from './gate'
import type { ModalHandle, ModalModule } from './modal'

export interface ConsentApiDeps {
  gate: ConsentGate
  document?: Document
  /** Loads the modal chunk (only when the modal is to be shown). */
  loadModal?: () => Promise<ModalModule>
  nonce?: string
  warn(message: string): void
}

export interface ConsentApi {
  consent: ZarazConsent
  showConsentModal(): void
}

const SET_HELP = 'The zaraz.consent.set method takes an object as an argument. The keys are the purpose ids, and values are booleans (true=has consent).'

/**
 * `zaraz.consent` and `zaraz.showConsentModal()`, as Zaraz documents them. Like Zaraz, `set` and
 * `setAll` throw on a wrong argument (the only calls that throw into the page), with Zaraz's
 * messages; everything else is a no-op or a console warning.
 */
/** The errors Zaraz documents as thrown by `set`/`setAll`; any other failure never reaches the page. */
class ConsentError extends TypeError {}

export function createConsentApi({ gate, document: doc, loadModal, nonce, warn }: ConsentApiDeps): ConsentApi {
  const { ids, enabled, purposes } = gate.settings
  const emit = (name: string) => {
    try {
      doc?.dispatchEvent(new Event(name))
    } catch {
      // A page without events: nothing to tell.
    }
  }
  const all = (v: boolean): Choices => Object.fromEntries(ids.map((id) => [id, v]))
  const getAll = (): Choices => Object.fromEntries(ids.map((id) => [id, gate.get(id) === true]))

  let handle: ModalHandle | undefined
  let opening = false

  const set = (prefs: unknown): void => {
    if (typeof prefs == 'boolean') throw new ConsentError(`${SET_HELP} If you want to (de)select all purposes, use zaraz.consent.setAll(true/false)`)
    if (!prefs || typeof prefs != 'object' || Array.isArray(prefs)) throw new ConsentError(SET_HELP)
    const c = prefs as Record<string, unknown>
    for (const id of Object.keys(c)) {
      if (!purposes[id]) throw new ConsentError(`Unknown purpose id: ${id}`)
      if (typeof c[id] != 'boolean') throw new ConsentError(`Invalid value for purpose ${id}: ${String(c[id])} (${typeof c[id]})`)
    }
    gate.set(c as Choices, true)
    handle?.set(c as Choices)
    emit('zarazConsentChoicesUpdated')
  }

  const show = () => {
    if (!enabled) return warn('the consent modal needs consent.enabled in the config')
    if (handle || opening || !loadModal || !doc) return
    opening = true
    const open = (m: ModalModule) => {
      if (!opening) return
      opening = false
      handle = m.openModal({
        document: doc,
        settings: gate.settings,
        nonce,
        checked: getAll(),
        decide(choices) {
          set(choices)
          gate.sendQueued()
        },
        closed() {
          handle = undefined
          emit('zarazConsentModalClosed')
        },
      })
      emit('zarazConsentModalOpened')
    }
    loadModal().then(
      (m) => (doc.body ? open(m) : doc.addEventListener('DOMContentLoaded', () => open(m))),
      (e) => {
        opening = false
        warn(`could not load the consent modal: ${(e as Error)?.message ?? e}`)
      },
    )
  }

  const consent = {
    get: (id: string) => (purposes[id] ? gate.get(id) === true : undefined),
    set,
    getAll,
    setAll(v: unknown) {
      // `null` forgets every choice (Zaraz does the same); anything else goes through set's checks.
      if (v === null) {
        gate.set(null, true)
        handle?.set(all(false))
        return emit('zarazConsentChoicesUpdated')
      }
      set(Object.fromEntries(ids.map((id) => [id, v])))
    },
    getAllCheckboxes: () => (handle ? handle.get() : getAll()),
    setCheckboxes(c: unknown) {
      if (handle && c && typeof c == 'object') {
        const known: Choices = {}
        for (const id of Object.keys(c)) if (purposes[id]) known[id] = !!(c as Record<string, unknown>)[id]
        handle.set(known)
      }
    },
    setAllCheckboxes: (v: unknown) => void handle?.set(all(!!v)),
    sendQueuedEvents: () => gate.sendQueued(),
    get modal() {
      return !!handle || opening
    },
    set modal(v: boolean) {
      if (v) show()
      else if (opening) opening = false
      else handle?.close()
    },
  } as ZarazConsent
  // Hostile arguments (a revoked Proxy, a throwing getter) never throw into the page: only Zaraz's
  // documented errors do.
  for (const k of ['get', 'set', 'getAll', 'setAll', 'getAllCheckboxes', 'setCheckboxes', 'setAllCheckboxes', 'sendQueuedEvents'] as const) {
    const fn = consent[k] as (...a: unknown[]) => unknown
    ;(consent as unknown as Record<string, unknown>)[k] = (...a: unknown[]) => {
      try {
        return fn(...a)
      } catch (e) {
        let ours = false
        try {
          ours = e instanceof ConsentError
        } catch {
          // A revoked Proxy thrown by a getter: not ours.
        }
        if (ours) throw e
        // What was thrown may itself be hostile (a revoked Proxy): never read it.
        warn(`zaraz.consent.${k}() ignored arguments it could not read`)
        return undefined
      }
    }
  }
  const list: Record<string, ZarazConsentPurpose> = {}
  for (const id of ids) list[id] = { ...purposes[id], name: { ...purposes[id].name }, description: { ...purposes[id].description } }
  Object.defineProperty(consent, 'purposes', { value: Object.freeze(list), enumerable: true })
  Object.defineProperty(consent, 'APIReady', { value: true, enumerable: true })
  return { consent, showConsentModal: show }
}
