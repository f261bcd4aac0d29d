import type { PageSnapshot } from '../types/event'

/** The page right now: read on the caller's stack, so an event carries the page it was tracked on. */
export function pageSnapshot(doc: Document | undefined, referrer: string): PageSnapshot {
  return { href: doc?.location?.href ?? '', title: doc?.title ?? '', referrer }
}
