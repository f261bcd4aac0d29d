import type { ComponentSettings, Manager, MCEvent } from '../types/mc'
import { hit, timeOf, withQuery, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['client_network_requests']

/** The pixel version Zaraz's component announces as `cv`. */
const VERSION = '20230105-3-RELEASE'

/** Fields with a meaning of their own (`timestampt` is how Zaraz's component spells a field it drops). */
const RESERVED = ['en', 'custom_en', 'timestampt']

/**
 * Taboola Pixel, as Zaraz's component sends it: a `no-cors` GET to
 * `https://trc.taboola.com/<id>/log/3/unip` per pageview (`en=page_view` and `item-url`) or event
 * (`en` the `en` field, else the event's name; `custom_en` when `en` is `custom`, other fields as parameters). The click
 * id `tblci` of the landing URL rides along, as Zaraz's component sends it.
 */
export default function taboola(manager: Manager, settings: ComponentSettings): void {
  const id = String(settings.id ?? '')

  const send = ({ client, payload, type, name }: MCEvent) => {
    if (!id) return
    const p: Params = payload ?? {}
    const pageview = type == 'pageview'
    // Zaraz's automated track action sets `en` to the track's name; without the field, the name is it.
    let en: unknown = p.en || name
    if (pageview) en = 'page_view'
    else if (en == 'custom') en = p.custom_en
    const params: Array<[string, unknown]> = [
      ['tim', timeOf(client)],
      ['cv', VERSION],
      ['ref', client.referer],
      ['en', en],
    ]
    if (pageview) params.push(['item-url', client.url.href])
    params.push(['tblci', client.url.searchParams.get('tblci')])
    // Revenue, currency, order id and custom fields: on events only, as Zaraz's component sends them.
    if (!pageview) for (const k of Object.keys(p)) if (!RESERVED.includes(k) && k.indexOf('__') != 0) params.push([k, p[k]])
    hit(client, withQuery(`https://trc.taboola.com/${encodeURIComponent(id)}/log/3/unip`, params))
  }

  manager.addEventListener('pageview', send)
  manager.addEventListener('event', send)
}
