/**
 * Event ids: a random prefix per page load plus a counter, so an id is unique across tabs and
 * reloads without paying for a UUID on the caller's stack.
 */
export function idFactory(random: () => number): () => string {
  const prefix = random().toString(36).slice(2) + Date.now().toString(36)
  let n = 0
  return () => prefix + '-' + (n++).toString(36)
}
