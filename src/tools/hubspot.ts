import type { ComponentSettings, Manager, MCEvent } from '../types/mc'
import type { TrustedPolicy } from '../platform/trusted-types'
import { randomOf, timeOf, withQuery, type Params } from './lib/vendor'
import { uuid } from './lib/ids'

/** The permissions this tool needs when its config entry lists none (the chat also needs `execute_unsafe_scripts`, as in Zaraz). */
export const permissions = ['access_client_kv', 'client_network_requests']

/** Zaraz's tool submits forms (`form` actions) from its servers: an export's `server_network_requests` covers them (docs/tools/hubspot.md). */
export const sentFromServer = true

/** What `manager.ext.dom()` hands over; `trustedTypes`: the runtime's policy, where the browser has Trusted Types. */
type Dom = { document: Document; nonce?: string; trustedTypes?: TrustedPolicy }

/** Fields with a meaning of their own on a tracking hit: not sent under their own names. */
const HIT_FIELDS = ['identifyEmail', 'identifyUserId', 'n', 'property_name', 'property_value']
/** Fields of a collected form that are not form values. */
const FORM_FIELDS = ['timestamp', 'email', 'firstName', 'lastName', 'identifyEmail', 'identifyUserId', 'po']

/** `-eu1` for the region prefix `eu1`, nothing without one. */
const region = (settings: ComponentSettings) => (settings.regionPrefix ? '-' + settings.regionPrefix : '')

/** HubSpot's domain hash, the first part of its `__hstc` and `__hssc` values, as its tracking script computes it. */
function domainHash(domain: string): number {
  let hash = 0
  for (let i = domain.length - 1; i >= 0; i--) {
    const code = domain.charCodeAt(i)
    hash = ((hash << 6) & 268435455) + code + (code << 14)
    const high = hash & 266338304
    if (high) hash ^= high >> 21
  }
  return hash
}

/**
 * HubSpot, as the official component sends it: pageviews and events are image requests to
 * `https://track[-<region>].hubspot.com/__ptq.gif`, with the visitor id (`hubspotutk`) and HubSpot's
 * session values (`hstc`, `hssc`, `hssrc`) kept in the tool's client storage. `chat` actions load
 * HubSpot's chat script, `collected-forms` and `form` actions send form data to HubSpot.
 */
export default function hubspot(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  const domain = domainHash(String(settings.domainName ?? ''))

  const track = ({ type, client, payload }: MCEvent) => {
    const p: Params = payload ?? {}
    const now = timeOf(client)
    const event = type == 'event'
    // In the official component's order; a field of the same name as a parameter (`ln`, say) replaces its value in place.
    const hit: Params = { k: event ? 3 : 1, v: '1.1', a: settings.accountId, pu: client.url.href, t: client.title, cts: now }
    if (event && p.property_name) hit['_' + p.property_name] = p.property_value
    if (event && p.n) hit.n = p.n
    const identify = new URLSearchParams()
    if (p.identifyEmail) identify.set('email', String(p.identifyEmail))
    if (p.identifyUserId) identify.set('id', String(p.identifyUserId))
    hit.i = identify.toString()
    hit.r = client.referer
    if (client.screenWidth && client.screenHeight) hit.sd = `${client.screenWidth}x${client.screenHeight}`
    hit.ln = client.language
    // Every other field (HubSpot's `cs`, `po`, custom ones) travels under its own name.
    for (const k of Object.keys(p)) if (!HIT_FIELDS.includes(k) && k.indexOf('__')) hit[k] = p[k]

    let visitor = client.get('hubspotutk')
    const known = !!visitor
    if (!visitor) {
      visitor = uuid(random).replace(/-/g, '')
      client.set('hubspotutk', visitor)
    }
    const newSession = !client.get('hssrc')
    if (newSession) client.set('hssrc', '1', { scope: 'session' })
    // `hstc`: domain.visitor.first visit.previous session start.this session start.session count.
    let utma = client.get('hstc')
    if (!utma) {
      utma = [domain, visitor, now, now, now, 1].join('.')
      client.set('hstc', utma, { scope: 'infinite' })
    } else if (newSession) {
      const parts = utma.split('.')
      parts[3] = parts[4]
      parts[4] = String(now)
      utma = parts.join('.')
      client.set('hstc', utma)
    }
    // `hssc`: domain.hits in this session.session start.
    const previous = client.get('hssc')?.split('.')
    let utmb = [domain, 1, now].join('.')
    if (previous) {
      previous[1] = String(parseInt(previous[1]) + 1)
      utmb = previous.join('.')
    }
    client.set('hssc', utmb)
    hit.vi = visitor
    hit.nc = !known
    hit.u = utma
    hit.b = utmb
    client.fetch(withQuery(`https://track${region(settings)}.hubspot.com/__ptq.gif`, Object.entries(hit)), { credentials: 'include', keepalive: true, mode: 'no-cors' })
  }

  // HubSpot's chat works only through its own script: loaded once per page, with the page's nonce.
  const chat = () => {
    const dom = manager.ext?.dom as (() => Dom | undefined) | undefined
    const target = dom?.()
    if (!target || target.document.getElementById('hubspot-messages-loader')) return
    const { document: doc, nonce, trustedTypes: policy } = target
    const script = doc.createElement('script')
    const src = `https://js${region(settings)}.usemessages.com/conversations-embed.js`
    script.src = policy ? policy.createScriptURL(src) : src
    script.id = 'hubspot-messages-loader'
    if (nonce) script.nonce = nonce
    script.setAttribute('data-loader', 'hs-scriptloader')
    script.setAttribute('data-hsjs-portal', String(settings.accountId ?? ''))
    script.setAttribute('data-hsjs-env', 'prod')
    if (settings.regionPrefix) script.setAttribute('data-hsjs-hublet', String(settings.regionPrefix))
    ;(doc.head || doc.documentElement).appendChild(script)
  }

  /** A form HubSpot's collected-forms script would have scraped: its fields and the page. */
  const collectedForm = ({ client, payload }: MCEvent) => {
    const p: Params = payload ?? {}
    const formId = typeof p.formId == 'string' ? p.formId.trim().replace(/^#/, '') : undefined
    const formClass = typeof p.formClass == 'string' ? p.formClass.trim() : undefined
    const values: Params = {}
    for (const k of Object.keys(p)) if (!FORM_FIELDS.includes(k) && k.indexOf('__')) values[k] = p[k]
    const body = {
      contactFields: { email: p.email, firstName: p.firstName, lastName: p.lastName },
      formSelectorClasses: formClass
        ?.split(' ')
        .filter(Boolean)
        .map((c) => '.' + c)
        .join(', '),
      collectedFormClasses: formClass,
      formSelectorId: formId ? '#' + formId : formId,
      collectedFormId: formId,
      formValues: values,
      pageTitle: client.title,
      pageUrl: client.url.href,
      portalId: settings.accountId,
      type: 'SCRAPED',
      utk: client.get('hubspotutk'),
      uuid: uuid(random),
      version: 'collected-forms-embed-js-static-1.312',
    }
    client.fetch(`https://forms${region(settings)}.hubspot.com/collected-forms/submit/form`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
  }

  /** A submission to HubSpot's Forms API (v3, unauthenticated), which answers browsers' CORS requests. */
  const form = ({ client, payload }: MCEvent) => {
    const { formId, accountId, ...fields }: Params = payload ?? {}
    const context: Params = { pageUri: client.url.href, pageName: client.title }
    const utk = client.get('hubspotutk')
    if (utk) context.hutk = utk
    const body = {
      fields: Object.keys(fields)
        .filter((k) => k.indexOf('__'))
        .map((name) => ({ name, value: fields[name] })),
      context,
    }
    client.fetch(`https://api.hsforms.com/submissions/v3/integration/submit/${accountId || settings.accountId}/${formId}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
  }

  manager.addEventListener('pageview', track)
  manager.addEventListener('event', track)
  manager.addEventListener('chat', chat)
  manager.addEventListener('collected-forms', collectedForm)
  manager.addEventListener('form', form)
}
