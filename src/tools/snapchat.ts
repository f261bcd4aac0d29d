import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { hit, randomOf, timeOf, withQuery, type Params } from './lib/vendor'
import { days, keptId, uuid } from './lib/ids'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

const SYNC = 'https://tr.snapchat.com/cm/i'
const EVENTS = 'https://tr.snapchat.com/p'

/** The browser id `u_c1`: kept 13 months, as Snap's pixel keeps its `_scid` cookie. */
const ID_LIFETIME_MS = days(395)

/**
 * Snap Pixel, as Zaraz's component sends it: per pageview (`PAGE_VIEW`) or event (its `ev` field),
 * a `no-cors` GET to `tr.snapchat.com/cm/i?pid=<pixel>` (Snap's cookie match) and a `no-cors` form
 * POST to `tr.snapchat.com/p` with the event, the page, the pixel id and the browser id `u_c1`
 * (a random UUID kept as `scid`).
 */
export default function snapchat(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  const pixel = String(settings.pid ?? '')
  /** An integer in [min, max), as Zaraz's component draws its load timings. */
  const between = (min: number, max: number) => Math.floor(random() * (max - min)) + min

  const send = (client: Client, ev: unknown, payload: Params) => {
    const pid = payload.pid || pixel
    if (!pid || !ev) return
    // Page-load timings as scevent.js reports them; Zaraz's component draws them at random, in this order.
    const first = between(2000, 3000)
    const second = between(first - 500, first)
    const pi = between(second - 1000, second)
    const body = new URLSearchParams()
    const fields: Array<[string, unknown]> = [
      ['v', '1.5'],
      ['if', 'false'],
      ['ts', timeOf(client)],
      ['rf', client.referer],
      ['pl', client.url.href],
      ['bt', '__LIVE__'],
      ['ev', ev],
      ['m_sl', first],
      ['m_rd', second],
      ['m_pi', pi],
      ['m_pl', pi + between(1, 100)],
      ['m_ic', 0],
      ['pid', pid],
      ['u_c1', keptId(client, 'scid', () => uuid(random), ID_LIFETIME_MS)],
    ]
    for (const [k, v] of fields) body.append(k, String(v))
    hit(client, withQuery(SYNC, [['pid', pixel]]))
    client.fetch(EVENTS, { method: 'POST', mode: 'no-cors', credentials: 'include', keepalive: true, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body })
  }

  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => send(client, 'PAGE_VIEW', payload ?? {}))
  manager.addEventListener('event', ({ client, payload }: MCEvent) => {
    const p: Params = payload ?? {}
    send(client, p.ev, p)
  })
}
