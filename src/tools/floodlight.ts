import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { CONSENT_MODE_KEYS, consentModeParam, consentModeState, hit, randomOf, text, timeOf, type Params } from './lib/vendor'
import { days } from './lib/ids'

/** The permissions this tool needs when its config entry lists none (the client storage keeps the click ids). */
export const permissions = ['access_client_kv', 'client_network_requests']

const ENDPOINT = 'https://ad.doubleclick.net/activity;'

/** Fields with a meaning of their own: not sent as custom parameters (`timestamp` is dropped, as Zaraz's component does). */
const RESERVED = ['timestamp', 'groupTag', 'activityTag', ...CONSENT_MODE_KEYS]

/** Click ids: URL parameter, the Google cookie that keeps it (`GCL.<s>.<id>`, 90 days), the request parameter. */
const CLICK_IDS = [
  ['gclid', '_gcl_aw', 'gclaw'],
  ['dclid', '_gcl_dc', 'gcldc'],
]

/** Floodlight's `key=value` pairs, each form-encoded, joined by `;` (the activity URL's own syntax). */
const pairs = (params: Array<[string, unknown]>) =>
  params
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => new URLSearchParams([[k, text(v)]]).toString())
    .join(';')

/**
 * Google Floodlight (Campaign Manager 360) activities, as Zaraz's component sends them: a `no-cors`
 * GET to `https://ad.doubleclick.net/activity;src=<advertiser>;type=<group>;cat=<activity>;ord=<random>;<fields>?`.
 * Beyond Zaraz's component, as gtag.js: the click ids `gclid` and `dclid` of the landing URL are kept
 * in `_gcl_aw` / `_gcl_dc` and sent as `gclaw` / `gcldc`, and Google Consent Mode is honoured (`gcs`;
 * with `ad_storage` denied no ad cookie is read or written and the hit carries no cookies).
 */
export default function floodlight(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  const advertiser = String(settings.advertiserId ?? '')

  /** Each click id: from the URL (then kept), else the kept one; with `ad_storage` denied only the URL's. */
  const clickIds = (client: Client, now: number, denied: boolean): Array<[string, unknown]> =>
    CLICK_IDS.map(([param, cookie, name]) => {
      const fromUrl = client.url.searchParams.get(param)
      if (fromUrl && !denied) client.set(cookie, `GCL.${Math.floor(now / 1000)}.${fromUrl}`, { scope: 'infinite', expiry: days(90) })
      if (fromUrl || denied) return [name, fromUrl]
      return [name, client.get(cookie)?.split('.').slice(2).join('.')]
    })

  const send = ({ client, payload }: MCEvent) => {
    const p: Params = payload ?? {}
    if (!advertiser) return
    const denied = consentModeState(p)?.ad_storage == 'denied'
    const fields: Array<[string, unknown]> = []
    for (const k of Object.keys(p)) if (!RESERVED.includes(k) && k.indexOf('__') != 0) fields.push([k, p[k]])
    const query = pairs([
      ['src', advertiser],
      ['type', p.groupTag],
      ['cat', p.activityTag],
      // A random cache buster in Zaraz's component's range: 1e11 … 1e13.
      ['ord', Math.floor(random() * (1e13 - 1e11 + 1) + 1e11)],
      ...fields,
      ...clickIds(client, timeOf(client), denied),
      ['gcs', consentModeParam(p)],
    ])
    hit(client, ENDPOINT + query + '?', 'GET', denied ? 'omit' : 'include')
  }

  manager.addEventListener('pageview', send)
  // Zaraz's Floodlight actions are pageview actions on any trigger; an event action sends the same hit.
  manager.addEventListener('event', send)
}
