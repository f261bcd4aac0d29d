import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react'

// A router in thirty lines: the route is location.pathname; links push a history entry; the back
// and forward buttons fire popstate. A hash link is a plain <a href="#...">: the browser scrolls,
// the route stays the same.
const NAVIGATE = 'app:navigate'

const subscribe = (onChange: () => void) => {
  window.addEventListener('popstate', onChange)
  window.addEventListener(NAVIGATE, onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener(NAVIGATE, onChange)
  }
}

/** The current route, re-rendering on navigation. */
export const usePath = (): string => useSyncExternalStore(subscribe, () => window.location.pathname)

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) window.history.replaceState(null, '', to)
  else window.history.pushState(null, '', to)
  window.dispatchEvent(new Event(NAVIGATE))
}

/** An <a> that navigates without reloading (a modified or middle click still opens a new tab). */
export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button != 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    e.preventDefault()
    if (to != window.location.pathname + window.location.search + window.location.hash) navigate(to)
  }
  return <a href={to} onClick={onClick} {...rest} />
}
