import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react'
import { createZaraz, type Zaraz } from 'tagrelay'
import config from './zaraz-config.json'

/**
 * How pageviews follow the router. Default: `historyChange: true`, tagrelay watches the History
 * API by itself. `vite build --mode manual` (see .env.manual) shows the alternative: the setting
 * off, and the app calls `zaraz.spaPageview()` when its route changes (`useRoutePageviews`).
 */
export const manualPageviews = import.meta.env.VITE_PAGEVIEWS === 'manual'

// Created once, at module scope, when the app's code loads. Not inside a component or a
// useState/useMemo initialiser: StrictMode runs those twice in development, and every runtime
// sends its own first pageview and watches history on its own.
const zaraz = createZaraz({
  config: { ...config, historyChange: !manualPageviews },
  install: true, // also window.zaraz, handy in the console
})

const ZarazContext = createContext<Zaraz>(zaraz)

/** Gives components the runtime; tests can pass another one (e.g. with a recording transport). */
export function ZarazProvider({ value = zaraz, children }: { value?: Zaraz; children: ReactNode }) {
  return <ZarazContext.Provider value={value}>{children}</ZarazContext.Provider>
}

/** The `zaraz` object, for `track`, `ecommerce` and `set` from components. */
export const useZaraz = (): Zaraz => useContext(ZarazContext)

/**
 * Manual pageviews: one `spaPageview()` each time the route's URL changes. Does nothing with
 * `historyChange: true`, where tagrelay already sends them. Compares URLs rather than skipping the
 * first run, so StrictMode's second run of the effect on mount sends nothing either; the first
 * pageview of the page is the one `createZaraz()` sends.
 */
export function useRoutePageviews(route: string): void {
  const zaraz = useZaraz()
  const last = useRef(window.location.href)
  useEffect(() => {
    if (!manualPageviews) return
    const href = window.location.href
    if (href == last.current) return
    last.current = href
    void zaraz.spaPageview()
  }, [zaraz, route])
}
