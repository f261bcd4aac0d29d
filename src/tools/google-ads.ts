import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { CONSENT_MODE_KEYS, GOOGLE_EVENTS, consentModeParam, consentModeState, ecommerceValue, hit, randomOf, text, timeOf, withQuery, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

const CONVERSION = 'https://www.googleadservices.com/pagead/conversion/'
const REMARKETING = 'https://googleads.g.doubleclick.net/pagead/viewthroughconversion/'
const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000

/** Fields with a meaning of their own in the request. */
const FIELDS = ['conversionId', 'label', 'value', 'currency_code', 'transaction_id', 'event', 'ecommerce', ...CONSENT_MODE_KEYS]

/**
 * Google Ads conversion and remarketing tags, sent as gtag.js sends them: a `no-cors` GET to the
 * conversion endpoint (`conversion` actions, `Order Completed`) or the view-through endpoint
 * (`remarketing` actions, pageviews, other events). The click id `gclid` from the landing URL is
 * kept in the `_gcl_aw` cookie (`GCL.<s>.<gclid>`, 90 days) and sent as `gclaw` with every hit.
 * With Consent Mode `ad_storage` denied, as gtag: no ad cookie is read or written (the landing
 * URL's gclid is still sent) and the hit carries no cookies.
 */
export default function googleAds(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  const defaultId = String(settings.conversionId ?? '').replace(/^AW-/, '')

  /** The click id: from the URL (then kept), else from `_gcl_aw`; with `ad_storage` denied only from the URL. */
  const clickId = (client: Client, now: number, denied: boolean) => {
    const gclid = client.url.searchParams.get('gclid')
    if (denied) return gclid || undefined
    if (gclid) {
      client.set('_gcl_aw', `GCL.${Math.floor(now / 1000)}.${gclid}`, { scope: 'infinite', expiry: NINETY_DAYS_MS })
      return gclid
    }
    return client.get('_gcl_aw')?.split('.').slice(2).join('.') || undefined
  }

  /** Other fields travel in `data` as `key=value` pairs joined by `;`, after the event name, as gtag sends them. */
  const send = (kind: 'conversion' | 'remarketing', client: Client, payload: Params, event?: string) => {
    // An empty field (exported configs carry them) means the setting, as in Zaraz's component.
    const id = String(payload.conversionId || defaultId).replace(/^AW-/, '')
    if (!id) return
    const now = timeOf(client)
    const denied = consentModeState(payload)?.ad_storage == 'denied'
    const pairs = event ? [`event=${event}`] : []
    for (const k of Object.keys(payload))
      if (!FIELDS.includes(k) && k.indexOf('__') != 0 && payload[k] !== undefined) pairs.push(`${k}=${text(payload[k])}`)
    const url = withQuery((kind == 'conversion' ? CONVERSION : REMARKETING) + id + '/', [
      ['guid', 'ON'],
      ['script', 0],
      ['label', payload.label],
      ['value', payload.value],
      ['currency_code', payload.currency_code],
      ['transaction_id', payload.transaction_id],
      ['data', pairs.join(';')],
      ['gclaw', clickId(client, now, denied)],
      ['gcs', consentModeParam(payload)],
      ['url', client.url.href],
      ['ref', client.referer],
      ['tiba', client.title],
      ['rnd', Math.floor(random() * 2147483647)],
    ])
    hit(client, url, 'GET', denied ? 'omit' : 'include')
  }

  manager.addEventListener('conversion', ({ client, payload }: MCEvent) => send('conversion', client, payload ?? {}))
  manager.addEventListener('remarketing', ({ client, payload }: MCEvent) => send('remarketing', client, payload ?? {}))
  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => send('remarketing', client, payload ?? {}, 'page_view'))
  manager.addEventListener('event', ({ client, payload, name }: MCEvent) => {
    const p: Params = payload ?? {}
    send('remarketing', client, p, String(p.event || name))
  })
  manager.addEventListener('ecommerce', ({ client, payload, name }: MCEvent) => {
    const e: Params = (payload?.ecommerce as Params) ?? {}
    const event = GOOGLE_EVENTS[name ?? '']
    if (!event) return
    const { ecommerce: _e, name: _n, ...rest } = payload ?? {}
    const p: Params = { ...rest, value: ecommerceValue(e), currency_code: e.currency, transaction_id: e.order_id }
    const label = rest.label || settings.conversionLabel
    if (name == 'Order Completed' && label) send('conversion', client, { ...p, label })
    send('remarketing', client, { ...p, label: undefined, transaction_id: undefined }, event)
  })
}
