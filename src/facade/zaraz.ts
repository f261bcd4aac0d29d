import type { EventProperties, SetOptions, TrackResult, Zaraz } from '../types/zaraz'
import type { TrackedEvent } from '../types/event'
import type { ManagedComponent } from '../types/mc'
import type { Env } from '../platform/env'
import type { ValueStore } from './store'
import type { ConsentApi } from '../consent/api'
import { checkEvent, checkSet, copyFlat, serialise, show } from './validate'
import { reject, warn, why } from '../lib/warn'
import { pageSnapshot } from '../context/page'
import { idFactory } from '../lib/ids'

/**
 * The page-facing `zaraz` object. Every call validates, stamps an id and a time, takes a snapshot
 * of its properties and of the page, hands the event to the bus and returns. Nothing here throws
 * into the page: bad input is a rejected promise (or, for `set`, a no-op) plus one console warning.
 */
export type Facade = [
  zaraz: Zaraz,
  /**
   * An SPA navigation just changed the URL (`historyChange`): from now on events belong to the new
   * page (its referrer is the previous URL, page-scope values are gone), and its pageview goes
   * ahead of them; the pageview reads the URL and title once `settled` (after the router's task).
   */
  navigate: (settled: Promise<unknown>) => void,
]

/**
 * `publish`: hands an event to the bus (`wait`: the bus holds this event, and every later one,
 * until it settles); `register`: a component for config entries of that name; `consent`:
 * `zaraz.consent` and `showConsentModal()`.
 */
export function createFacade(
  env: Env,
  store: ValueStore,
  publish: (event: TrackedEvent, wait?: Promise<unknown>) => Promise<TrackResult>,
  register: (name: string, component: ManagedComponent) => void,
  consent: ConsentApi,
  /** The config's `debugKey`: `debug(key)` with another key says why no panel will show. */
  debugKey?: unknown,
): Facade {
  const log = env.console
  const newId = idFactory(env.random)
  const doc = env.document
  // After an SPA navigation the previous page is the referrer of the new one.
  let referrer = doc?.referrer ?? ''
  let lastHref = doc?.location?.href ?? ''

  /** An event of this page, now. */
  const event = (name: string, json: TrackedEvent['json'], ecommerce: boolean): TrackedEvent => ({
    id: newId(),
    name,
    json,
    setValues: store.snapshot(),
    ecommerce,
    time: env.clock.now(),
    page: pageSnapshot(doc, referrer),
  })

  const send = (call: string, name: unknown, props: unknown, ecommerce: boolean): Promise<TrackResult> => {
    try {
      let bad = checkEvent(call, name, props)
      let copy: TrackedEvent['json'] | undefined
      if (!bad) {
        // A flat object of JSON values is copied; anything else goes through JSON.
        copy = props ? copyFlat(props) : undefined
        if (!copy) [copy, bad] = serialise(call, props)
      }
      return bad ? reject(log, bad) : publish(event(name as string, copy!, ecommerce))
    } catch (e) {
      return reject(log, `${call} failed: ${why(e)}`)
    }
  }

  const zaraz = {
    track: (name: string, props?: EventProperties) => send('zaraz.track()', name, props, false),
    ecommerce: (name: string, params?: Record<string, unknown>) => send('zaraz.ecommerce()', name, params, true),
    set(key: string, value: unknown, options?: SetOptions) {
      try {
        const scope = options?.scope ?? 'persist'
        const bad = checkSet(key, scope, value)
        if (bad) warn(log, bad)
        else store.set(key, value, scope)
      } catch (e) {
        warn(log, `zaraz.set() failed: ${why(e)}`)
      }
    },
    spaPageview() {
      // (Nothing here can throw: `send` catches what the call itself might.)
      store.clearPage()
      const href = doc?.location?.href ?? ''
      if (href != lastHref) {
        referrer = lastHref
        lastHref = href
      }
      return send('zaraz.spaPageview()', 'Pageview', undefined, false)
    },
    registerTool(name: string, component: ManagedComponent) {
      if (typeof name != 'string' || !name) warn(log, `zaraz.registerTool() expects a non-empty string as the component name, got ${show(name)}`)
      else if (typeof component != 'function') warn(log, `zaraz.registerTool("${name}") expects a Managed Component function (manager, settings) => void`)
      else register(name, component)
    },
    debug(key?: string) {
      try {
        if (!doc) return
        // (No key: an empty value that expires at once; -1, not 0, for cookie jars that compare expiry
        // times to the millisecond. Any other key is encoded as its string; a Symbol is warned about.)
        doc.cookie = `zarazDebug=${key ? encodeURIComponent(key) : '; max-age=-1'}; path=/`
        // (The key itself is not echoed: the console may be shared in a screenshot.)
        if (key && key !== debugKey) warn(log, debugKey ? 'zaraz.debug(): that is not this config\'s debugKey; no debugger panel will show' : 'zaraz.debug(): this config has no debugKey; no debugger panel will show')
        env.reload?.()
      } catch (e) {
        warn(log, `zaraz.debug() failed: ${why(e)}`)
      }
    },
    // `consent` and `showConsentModal`.
    ...consent,
  }

  let pending = false
  const navigate = (settled: Promise<unknown>) => {
    // Several navigations in one task make one pageview, for the URL they end on.
    if (pending) return
    pending = true
    const from = lastHref
    const before = referrer
    store.clearPage()
    referrer = from
    const e = event('Pageview', '{}', false)
    const ready = settled.then(() => {
      pending = false
      const href = doc?.location?.href ?? ''
      // Back where it started within the task: no navigation after all.
      if (href == from) {
        referrer = before
        e.cancelled = true
        return
      }
      lastHref = href
      e.page = pageSnapshot(doc, from)
      e.setValues = store.snapshot()
    })
    publish(e, ready).catch(() => undefined)
  }
  return [zaraz, navigate]
}
