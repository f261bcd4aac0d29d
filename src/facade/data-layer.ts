import type { Zaraz } from '../types/zaraz'
import { isPlainObject, isUnsafeKey, put } from '../lib/object'

const storable = (v: unknown) => {
  try {
    return JSON.stringify(v) !== undefined
  } catch {
    return false
  }
}

/**
 * GTM's data layer (`dataLayer: true`): `window.dataLayer.push({ event, ...rest })` becomes
 * `zaraz.track(event, rest)` where `rest` merges the keys of every push so far, as GTM merges
 * them; every key also becomes a page-scope `zaraz.set` value. A push without `event` only sets
 * values; `gtm.*` events are ignored; only `push`'s first argument is read, and `push` still
 * returns what it did. Entries pushed before tagrelay started are replayed once, in order.
 */
export function bridgeDataLayer(w: Window & { dataLayer?: unknown }, zaraz: Pick<Zaraz, 'track' | 'set'>): void {
  const layer: unknown[] = Array.isArray(w.dataLayer) ? w.dataLayer : (w.dataLayer = [])
  const merged: Record<string, unknown> = {}
  const handle = (entry: unknown) => {
    if (!isPlainObject(entry)) return
    for (const k of Object.keys(entry)) {
      if (k == 'event' || isUnsafeKey(k) || !storable(entry[k])) continue
      put(merged, k, entry[k])
      zaraz.set(k, entry[k], { scope: 'page' })
    }
    const event = entry.event
    if (typeof event == 'string' && event && event.indexOf('gtm.') != 0) zaraz.track(event, { ...merged }).catch(() => undefined)
  }
  const push = layer.push
  put(layer, 'push', function (this: unknown[], ...items: unknown[]) {
    const result = push.apply(this, items)
    try {
      handle(items[0])
    } catch {
      // The page's push never fails because of us.
    }
    return result
  })
  for (const entry of layer.slice()) handle(entry)
}
