import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { CONSENT_MODE_KEYS, GOOGLE_EVENTS, consentModeParam, consentModeState, ecommerceValue, hit, productsOf, randomOf, timeOf, withQuery, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

/** Zaraz sends these hits from its servers: an export's `server_network_requests` covers them (docs/tools/google-analytics-4.md). */
export const sentFromServer = true

type Pairs = Array<[string, unknown]>

/** Both cookies: two years. */
const KEEP = { scope: 'infinite', expiry: 2 * 365 * 24 * 3600 * 1000 } as const

/** Fields with a meaning of their own: not sent as event parameters. */
const RESERVED = ['en', 'uid', 'ecommerce', 'hideOriginalIP', 'ga-audiences', ...CONSENT_MODE_KEYS]

/** `from[:to]`: e-commerce parameters sent as event parameters, under GA4's names (`to`, else the same name). */
const ECOMMERCE_PARAMS = 'order_id:transaction_id checkout_id:transaction_id affiliation shipping tax coupon payment_type query:search_term creative:creative_name step:checkout_step'.split(' ')

/**
 * One item as GA4's `pr<n>` parameter, in the order and with the id Zaraz's GA4 tool sends: `id`
 * the `sku` (else the `product_id`), …, `lp` the `position` (GA4's item index); `~` escaped as
 * `~~`. `code:key[:fallback key]`.
 */
const ITEM_FIELDS = 'id:sku:product_id ca:category nm:name br:brand va:variant pr:price qt:quantity cp:coupon lp:position'.split(' ')
function itemParam(p: Params): string {
  const out: string[] = []
  for (const f of ITEM_FIELDS) {
    const [code, ...keys] = f.split(':')
    const key = keys.find((k) => p[k] !== undefined && p[k] !== null && p[k] !== '')
    if (key) out.push(code + String(p[key]).replace(/~/g, '~~'))
  }
  return out.join('~')
}

/** An event parameter: `ep.<k>`, or `epn.<k>` for a number (`up`/`upn` for user properties). */
const param = (k: string, v: unknown, prefix = 'ep'): [string, unknown] => [`${prefix}${typeof v == 'number' ? 'n' : ''}.${k}`, v]

const GOOGLE_EVENTS_VALUES = Object.values(GOOGLE_EVENTS)

/** A random id as gtag makes them: 1 … 2^31 - 1. */
const randomId = (random: () => number) => Math.floor(random() * 2147483647) + 1
const seconds = (ms: number) => Math.floor(ms / 1000)

/**
 * Google Analytics 4, sent the way gtag.js sends it: one `POST /g/collect` per hit with the
 * parameters in the query string. The client id lives in the `_ga` cookie (`GA1.1.<random>.<s>`),
 * the session in `_ga_<measurement id>` (`GS1.1.<session start s>.<count>.<engaged>.<last hit s>.0.0.0`),
 * sessions ending after 30 minutes without a hit. With Consent Mode `analytics_storage` denied, as
 * gtag's cookieless pings: neither cookie is read or written, the hits carry no cookies, and the
 * client id and session live in memory for this page load only.
 */
export default function googleAnalytics4(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  const tid = String(settings.tid ?? '')
  const sessionCookie = '_ga_' + tid.replace(/^G-/, '')
  // Per page load, as gtag: a page id and a hit counter.
  const page = randomId(random)
  let hits = 0
  let lastHit = 0
  /** The two cookies' values while `analytics_storage` is denied (this page load only). */
  const memory: Record<string, string> = {}

  const send = (client: Client, en: string, payload: Params, extra: Pairs) => {
    if (!tid) return
    const now = timeOf(client)
    const s = seconds(now)
    const denied = consentModeState(payload)?.analytics_storage == 'denied'
    const get = (k: string) => (denied ? memory[k] : client.get(k))
    const put = (k: string, v: string) => (denied ? (memory[k] = v) : client.set(k, v, KEEP))
    let cookie = get('_ga')
    const firstVisit = !cookie
    cookie ||= `GA1.1.${randomId(random)}.${s}`
    put('_ga', cookie)
    let [, , sid, sct, seg, last] = (get(sessionCookie) || '').split('.').map(Number)
    const start = !sid || !last || now - last * 1000 > 30 * 60 * 1000
    if (start) {
      sid = s
      sct = (sct || 0) + 1
    }
    // A second pageview or an e-commerce event engages the session (10 s of it does too); a new session starts unengaged.
    const engages = (en == 'page_view' && hits) || GOOGLE_EVENTS_VALUES.includes(en) || (!start && now - sid * 1000 >= 10_000)
    if (engages) seg = 1
    else if (start || !seg) seg = 0
    put(sessionCookie, `GS1.1.${sid}.${sct}.${seg}.${s}.0.0.0`)
    const params: Pairs = [
      ['v', 2],
      ['tid', tid],
      ['_p', page],
      ['cid', cookie.split('.').slice(-2).join('.')],
      ['ul', client.language.toLowerCase()],
      ['sr', client.screenWidth ? `${client.screenWidth}x${client.screenHeight}` : undefined],
      ['uid', payload.uid],
      ['_s', ++hits],
      ['sid', sid],
      ['sct', sct],
      ['seg', seg],
      ['dl', client.url.href],
      ['dr', client.referer],
      ['dt', client.title],
      ['en', en],
      ['gcs', consentModeParam(payload)],
      ['_fv', firstVisit ? 1 : undefined],
      ['_ss', start ? 1 : undefined],
      ['_et', lastHit && en != 'page_view' ? Math.max(0, now - lastHit) : undefined],
      ...extra,
    ]
    // Event parameters; `up.<k>` keys are user properties. (withQuery leaves out null and undefined.)
    for (const k of Object.keys(payload)) if (!RESERVED.includes(k) && k.indexOf('__')) params.push(k.indexOf('up.') ? param(k, payload[k]) : param(k.slice(3), payload[k], 'up'))
    lastHit = now
    hit(client, withQuery('https://www.google-analytics.com/g/collect', params), 'POST', denied ? 'omit' : 'include')
  }

  const listener = ({ type, client, payload, name }: MCEvent) => {
    const p: Params = payload ?? {}
    if (type == 'pageview') return send(client, 'page_view', p, [])
    if (type == 'event') return send(client, String(p.en || name || 'event'), p, [])
    const e: Params = (p.ecommerce as Params) ?? {}
    const extra: Pairs = [['cu', e.currency]]
    const value = ecommerceValue(e)
    if (value !== undefined) extra.push(param('value', value))
    // The first of the fields a GA4 name has (`order_id` before `checkout_id`).
    const seen: Record<string, number> = {}
    for (const f of ECOMMERCE_PARAMS) {
      const [from, to = from] = f.split(':')
      if (e[from] !== undefined && !seen[to]) seen[to] = extra.push(param(to, e[from]))
    }
    productsOf(e).forEach((item, i) => extra.push([`pr${i + 1}`, itemParam(item)]))
    // Neither `ecommerce` (a reserved field) nor `name` (the e-commerce name again) is an event parameter.
    const { name: _name, ...fields } = p
    send(client, GOOGLE_EVENTS[name ?? ''] ?? String(name), fields, extra)
  }
  for (const type of ['pageview', 'event', 'ecommerce'] as const) manager.addEventListener(type, listener)
}
