import type { ComponentSettings, Manager, MCEvent } from '../types/mc'
import { sha256 } from './lib/hash'
import { hit, text, timeOf, withQuery, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['client_network_requests']

/**
 * Quora Pixel, as the official component sends it from the browser: a `no-cors` GET to
 * `q.quora.com/_/ad/<pixel id>/pixel` per pageview and event, the event as `tag` (the `en` field,
 * else an event's name, else `ViewContent`). An `email` field is sent as `em`, SHA-256 hashed.
 */
export default function quora(manager: Manager, settings: ComponentSettings): void {
  const pixel = String(settings.pixelId ?? '')
  /** The last hit's promise: hits leave in event order even while one waits for its hash. */
  let last: Promise<unknown> = Promise.resolve()

  const send = ({ client, payload }: MCEvent, event?: string) => {
    const p: Params = payload ?? {}
    if (!pixel) return
    const head: Array<[string, unknown]> = [
      ['u', client.url.href],
      ['tag', p.en || event || 'ViewContent'],
      ['ts', timeOf(client)],
      ['j', 1],
    ]
    const hashed = p.email ? sha256(text(p.email)) : Promise.resolve(undefined)
    const sent = last
      .then(() => hashed)
      .then((em) => hit(client, withQuery(`https://q.quora.com/_/ad/${encodeURIComponent(pixel)}/pixel`, [...head, ['em', em]])))
    // A hit that failed is the host's to report (through `sent`); it never holds back the next ones.
    last = sent.catch(() => undefined)
    return sent
  }

  manager.addEventListener('pageview', (e: MCEvent) => send(e))
  // An event without an `en` field (the automatedActions shorthand's) is tagged with its own name, as Zaraz's automated action would.
  manager.addEventListener('event', (e: MCEvent) => send(e, e.name))
}
