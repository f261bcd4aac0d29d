/**
 * SPA support (`historyChange: true`): a virtual pageview after `pushState`, `replaceState`,
 * `popstate` and `hashchange`, once per distinct URL. The check runs after the current task so
 * that a router that sets the title right after navigating is seen with its new title.
 */
export function watchHistory(w: Window, later: (fn: () => void) => void, onNavigate: () => void): void {
  let last = w.location.href
  const check = () =>
    later(() => {
      const href = w.location.href
      if (href == last) return
      last = href
      onNavigate()
    })
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
