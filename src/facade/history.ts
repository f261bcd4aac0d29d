/**
 * SPA support (`historyChange: true`): `pushState`, `replaceState`, `popstate` and `hashchange`
 * that change the URL are navigations. They are told at once, so that events tracked right after
 * (a route's mount effect) already belong to the new page; `settled` resolves after the current
 * task, so that the pageview sees the title and final URL the router set meanwhile.
 */
export function watchHistory(w: Window, later: (fn: () => void) => void, onNavigate: (settled: Promise<void>) => void): void {
  let last = w.location.href
  const check = () => {
    const href = w.location.href
    if (href == last) return
    last = href
    onNavigate(new Promise<void>((resolve) => later(resolve)))
  }
  const h = w.history
  for (const m of ['pushState', 'replaceState'] as const) {
    const original = h[m]
    h[m] = function (this: History, ...args: Parameters<History['pushState']>) {
      const r = original.apply(this, args)
      check()
      return r
    }
  }
  w.addEventListener('popstate', check)
  w.addEventListener('hashchange', check)
}
