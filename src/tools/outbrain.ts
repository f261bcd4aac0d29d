import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { hit, randomOf, timeOf, withQuery, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none (the client storage keeps the click id for the session). */
export const permissions = ['access_client_kv', 'client_network_requests']

/** Zaraz sends these hits from its servers: an export's `server_network_requests` covers them (docs/tools/outbrain.md). */
export const sentFromServer = true

const ENDPOINT = 'https://tr.outbrain.com/unifiedPixel'

/**
 * The click id: the `clickId` field, else the one kept for this session, else the landing URL's
 * `OutbrainClickId` (or the older `dicbo`), then kept for the session; in that order, as Zaraz's component.
 */
function clickIdOf(client: Client, payload: Params): unknown {
  if (payload.clickId) return payload.clickId
  const kept = client.get('ob_click_id')
  if (kept) return kept
  const fromUrl = client.url.searchParams.get('OutbrainClickId') || client.url.searchParams.get('dicbo')
  if (fromUrl) client.set('ob_click_id', fromUrl, { scope: 'session' })
  return fromUrl
}

/**
 * Outbrain Pixel, as Zaraz's component sends it (from Zaraz's servers; here from the browser, a
 * `no-cors` GET): per pageview or event, `https://tr.outbrain.com/unifiedPixel` with the action's
 * fields (`marketerId`, `name` with spaces as dashes, `orderId`, `orderValue`, `currency`…), then
 * `apiVersion`, `obtpVersion`, `optOut`, `bust`, `dl`, `timestamp` and the click id `ob_click_id`.
 */
export default function outbrain(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)

  const send = (client: Client, payload: Params, fallbackName: unknown) => {
    const fields: Params = {}
    // The marketer id is a field in Zaraz's tool; a `marketerId` setting serves as the default.
    if (!payload.marketerId && settings.marketerId) fields.marketerId = settings.marketerId
    for (const k of Object.keys(payload)) if (k.indexOf('__') != 0) fields[k] = payload[k]
    if (!fields.marketerId) return
    fields.name = String(fields.name || fallbackName).replace(/ /g, '-')
    const clickId = clickIdOf(client, payload)
    const q: Params = {
      ...fields,
      apiVersion: '1.1',
      obtpVersion: '1.4.1',
      optOut: false,
      // A cache buster: the digits of a random number, as Zaraz's component makes it.
      bust: String(random()).replace('.', ''),
      dl: client.url.href,
      // The event time in UTC, to the second, without a zone: Zaraz's component's format.
      timestamp: new Date(timeOf(client)).toISOString().replace(/\.\d{3}Z$/, ''),
      ob_click_id: clickId,
    }
    hit(client, withQuery(ENDPOINT, Object.entries(q)))
  }

  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => send(client, payload ?? {}, 'PAGE_VIEW'))
  manager.addEventListener('event', ({ client, payload, name }: MCEvent) => send(client, payload ?? {}, name))
}
