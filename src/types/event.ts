/** The page as it was when an event was tracked. */
export interface PageSnapshot {
  href: string
  title: string
  referrer: string
}

/**
 * One `track()` as the facade hands it to the bus: validated, stamped with an id and a time,
 * its properties copied (or frozen as JSON) so the caller may mutate its object right after the call.
 */
export interface TrackedEvent {
  id: string
  name: string
  /**
   * The call's properties, taken on the caller's stack: a copy when they are a flat object of JSON
   * values (the common case, no string round trip), else their JSON.
   */
  json: string | Record<string, unknown>
  /** `zaraz.set` values at call time, already merged persist < session < page. */
  setValues: Readonly<Record<string, unknown>>
  ecommerce: boolean
  time: number
  page: PageSnapshot
  /** Set when an SPA navigation turned out not to change the URL: the event is dropped. */
  cancelled?: boolean
}
