import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { days, uuid } from './lib/ids'
import { randomOf, timeOf, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

/** Impact's version tag at the head of `_ir`. */
const VERSION = 'U25'

/** Settings (by lower-cased name) that Impact takes as conversion parameters → the parameter's name. */
const PARAMS: Record<string, string> = {
  ordersubtotalprediscount: 'oabd',
  ordersubtotalpostdiscount: 'amount',
  referenceid: 'refid',
  customeremail: 'custemail',
  customerid: 'custid',
  searchterm: 'searchtxt',
  actiontrackerid: 'irchannel',
  eventtypeid: 'irchannel',
  eventtypecode: 'irchannel',
  customercity: 'custct',
  customercountry: 'custctry',
  customerpostcode: 'postcode',
  customerregion: 'custrgn',
  orderrebate: 'rebate',
  orderdiscount: 'odsc',
  money1: 'mny1',
  money2: 'mny2',
  money3: 'mny3',
  date1: 'date1',
  date2: 'date2',
  date3: 'date3',
  numeric1: 'num1',
  numeric2: 'num2',
  numeric3: 'num3',
  text1: 'str1',
  text2: 'str2',
  text3: 'str3',
  orderpromocodedesc: 'pmod',
  orderpromocode: 'pmoc',
  note: 'note',
  siteversion: 'sitever',
  sitecategory: 'sitecat',
  hearaboutus: 'hrau',
  ordershipping: 'st',
  customerstatus: 'cs',
  currencycode: 'currcd',
  ordertax: 'tax',
  giftpurchase: 'gp',
  orderid: 'oid',
  paymenttype: 'pt',
  locationname: 'ln',
  locationtype: 'lt',
  locationid: 'li',
  propertyid: 'propid',
}

/**
 * Impact (Impact Radius) conversions, as Zaraz's component sends them from the browser: an
 * `identify` action is a POST to `<td>/cur/<campaign>`, an `event` action with an `eventId` field a
 * POST to `<td>/xconv/<eventId>/<campaign>` (with the visitor's cookies), both without a body, the
 * parameters in the query: `custid`, `oid` (both empty), the settings Impact names (`orderId` → `oid`…) and
 * `_ir` = `U25|<visitor uuid>|<session>`. The visitor uuid is kept as `PI` (720 days), the session
 * under the campaign id for the inactivity window.
 */
export default function impactRadius(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  // The tracking domain as a URL (a bare host gets https://), without a trailing slash.
  const td = String(settings.td ?? '').replace(/\/+$/, '')
  const base = /^https?:\/\//i.test(td) ? td : 'https://' + td
  const campaign = String(settings.id ?? '')
  const windowMinutes = Number(settings.iw)

  /** The visitor uuid, made and kept (720 days) on the first conversion. */
  const visitor = (client: Client) => {
    const kept = client.get('PI')
    if (kept) return kept
    const made = uuid(random)
    client.set('PI', made, { scope: 'infinite', expiry: days(720) })
    return made
  }

  /** The session: its start (ms) from the kept record, or, for a new one, now shifted by the time zone, as Zaraz's component does. */
  const session = (client: Client, now: number) => {
    const kept = client.get(campaign)
    if (kept) return kept.split('|')[2]
    const expiry = windowMinutes > 0 ? windowMinutes * 60 * 1000 : undefined
    client.set(campaign, `${now}|0|${now}|||`, { scope: 'infinite', expiry })
    return String(now - (client.timezoneOffset || 0) * 60 * 1000)
  }

  /** The query. Values are URL-encoded here and again by the query, as Zaraz's component sends them. */
  const query = (client: Client, eventName: string | undefined) => {
    const params: Params = {}
    // `hippo-uuid` is no key this tool writes: empty unless something else put it there, as in Zaraz's component.
    const hippo = client.get('hippo-uuid') || ''
    params.custid = hippo
    // Zaraz's component leaves `oid` out for an event named `identify` (the event's name, not the action type).
    if (eventName != 'identify') params.oid = hippo
    for (const key of Object.keys(settings)) {
      const param = PARAMS[key.toLowerCase()]
      if (param && settings[key]) params[param] = encodeURIComponent(String(settings[key]))
    }
    params._ir = encodeURIComponent(`${VERSION}|${visitor(client)}|${session(client, timeOf(client))}`)
    return new URLSearchParams(params as Record<string, string>).toString()
  }

  manager.addEventListener('identify', ({ client, name }: MCEvent) => {
    if (!td || !campaign) return
    const url = `${base}/cur/${encodeURIComponent(campaign)}?${query(client, name)}`
    client.fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'same-origin', keepalive: true })
  })
  manager.addEventListener('event', ({ client, payload, name }: MCEvent) => {
    const eventId = payload?.eventId
    // Impact files a conversion under its event type: without one there is nothing to file.
    if (!td || !campaign || !eventId) return
    const url = `${base}/xconv/${encodeURIComponent(String(eventId))}/${encodeURIComponent(campaign)}?${query(client, name)}`
    client.fetch(url, {
      method: 'POST',
      mode: 'no-cors',
      credentials: 'include',
      keepalive: true,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    })
  })
}
