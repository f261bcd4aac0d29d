import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { CONSENT_MODE_KEYS, GOOGLE_EVENTS, consentModeParam, ecommerceValue, hit, productsOf, randomOf, text, timeOf, withQuery, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

const ENDPOINT = 'https://www.google-analytics.com/g/collect'
const SESSION_MS = 30 * 60 * 1000
const TWO_YEARS_MS = 2 * 365 * 24 * 3600 * 1000

/** Fields with a meaning of their own: not sent as event parameters. */
const RESERVED = ['en', 'uid', 'ecommerce', 'hideOriginalIP', 'ga-audiences', ...CONSENT_MODE_KEYS]

/** E-commerce parameters sent as event parameters, under GA4's names. */
const ECOMMERCE_PARAMS: Array<[string, string]> = [
  ['order_id', 'transaction_id'],
  ['checkout_id', 'transaction_id'],
  ['affiliation', 'affiliation'],
  ['shipping', 'shipping'],
  ['tax', 'tax'],
  ['coupon', 'coupon'],
  ['payment_type', 'payment_type'],
  ['query', 'search_term'],
  ['creative', 'creative_name'],
  ['step', 'checkout_step'],
]

/** One item as GA4's `pr<n>` parameter: `id…~nm…~br…`, with `~` escaped as `~~`. */
const ITEM_FIELDS: Array<[string, string[]]> = [
  ['id', ['product_id', 'sku']],
  ['nm', ['name']],
  ['br', ['brand']],
  ['ca', ['category']],
  ['va', ['variant']],
  ['pr', ['price']],
  ['qt', ['quantity']],
  ['cp', ['coupon']],
]
function itemParam(p: Params): string {
  const out: string[] = []
  for (const [code, keys] of ITEM_FIELDS) {
    const key = keys.find((k) => p[k] !== undefined && p[k] !== null && p[k] !== '')
    if (key) out.push(code + String(p[key]).replace(/~/g, '~~'))
  }
  return out.join('~')
}

/** Event parameters: numbers as `epn.<k>`, the rest as `ep.<k>`; `up.<k>` keys are user properties. */
function customParams(payload: Params): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = []
  for (const k of Object.keys(payload)) {
    const v = payload[k]
    if (RESERVED.includes(k) || k.indexOf('__') == 0 || v === undefined || v === null) continue
    const user = k.indexOf('up.') == 0
    const name = user ? k.slice(3) : k
    out.push([`${user ? 'up' : 'ep'}${typeof v == 'number' ? 'n' : ''}.${name}`, text(v)])
  }
  return out
}

/**
 * Google Analytics 4, sent the way gtag.js sends it: one `POST /g/collect` per hit with the
 * parameters in the query string. The client id lives in the `_ga` cookie (`GA1.1.<random>.<s>`),
 * the session in `_ga_<measurement id>` (`GS1.1.<session start s>.<count>.<engaged>.<last hit s>.0.0.0`),
 * sessions ending after 30 minutes without a hit.
 */
export default function googleAnalytics4(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  const tid = String(settings.tid ?? '')
  // Per page load, as gtag: a page id and a hit counter.
  const page = Math.floor(random() * 2147483647) + 1
  let hits = 0
  let lastHit = 0

  const session = (client: Client, now: number, engagedNow: boolean) => {
    const name = `_ga_${tid.replace(/^G-/, '')}`
    const [, , sid, sct, seg, last] = (client.get(name) || '').split('.').map(Number)
    const fresh = !sid || !last || now - last * 1000 > SESSION_MS
    const s = fresh
      ? { sid: Math.floor(now / 1000), sct: (sct || 0) + 1, seg: 0, start: true }
      : { sid, sct, seg: seg || 0, start: false }
    if (engagedNow || (!fresh && now - s.sid * 1000 >= 10_000)) s.seg = 1
    client.set(name, `GS1.1.${s.sid}.${s.sct}.${s.seg}.${Math.floor(now / 1000)}.0.0.0`, { scope: 'infinite', expiry: TWO_YEARS_MS })
    return s
  }

  const send = (client: Client, en: string, payload: Params, extra: Array<[string, unknown]>) => {
    if (!tid) return
    const now = timeOf(client)
    let cookie = client.get('_ga')
    const firstVisit = !cookie
    if (!cookie) cookie = `GA1.1.${Math.floor(random() * 2147483647) + 1}.${Math.floor(now / 1000)}`
    client.set('_ga', cookie, { scope: 'infinite', expiry: TWO_YEARS_MS })
    const cid = cookie.split('.').slice(-2).join('.')
    // A second pageview or an e-commerce event engages the session (10 s of it does too).
    const s = session(client, now, (en == 'page_view' && hits > 0) || GOOGLE_EVENTS_VALUES.includes(en))
    hits++
    const params: Array<[string, unknown]> = [
      ['v', 2],
      ['tid', tid],
      ['_p', page],
      ['cid', cid],
      ['ul', client.language.toLowerCase()],
      ['sr', client.screenWidth ? `${client.screenWidth}x${client.screenHeight}` : undefined],
      ['uid', payload.uid],
      ['_s', hits],
      ['sid', s.sid],
      ['sct', s.sct],
      ['seg', s.seg],
      ['dl', client.url.href],
      ['dr', client.referer],
      ['dt', client.title],
      ['en', en],
      ['gcs', consentModeParam(payload)],
      ['_fv', firstVisit ? 1 : undefined],
      ['_ss', s.start ? 1 : undefined],
      ['_et', lastHit && en != 'page_view' ? Math.max(0, now - lastHit) : undefined],
      ...extra,
      ...customParams(payload),
    ]
    lastHit = now
    hit(client, withQuery(ENDPOINT, params), 'POST')
  }

  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => send(client, 'page_view', payload ?? {}, []))

  manager.addEventListener('event', ({ client, payload, name }: MCEvent) => {
    const p: Params = payload ?? {}
    const en = String(p.en || name || 'event')
    send(client, en, p, [])
  })

  manager.addEventListener('ecommerce', ({ client, payload, name }: MCEvent) => {
    const e: Params = (payload?.ecommerce as Params) ?? {}
    const extra: Array<[string, unknown]> = [['cu', e.currency]]
    const value = ecommerceValue(e)
    if (value !== undefined) extra.push([`ep${typeof value == 'number' ? 'n' : ''}.value`, value])
    for (const [from, to] of ECOMMERCE_PARAMS)
      if (e[from] !== undefined && !extra.some(([k]) => k.slice(k.indexOf('.') + 1) == to))
        extra.push([`ep${typeof e[from] == 'number' ? 'n' : ''}.${to}`, e[from]])
    productsOf(e).forEach((p, i) => extra.push([`pr${i + 1}`, itemParam(p)]))
    const { ecommerce: _e, ...rest } = payload ?? {}
    send(client, GOOGLE_EVENTS[name ?? ''] ?? String(name), rest, extra)
  })
}

const GOOGLE_EVENTS_VALUES = Object.keys(GOOGLE_EVENTS).map((k) => GOOGLE_EVENTS[k])
