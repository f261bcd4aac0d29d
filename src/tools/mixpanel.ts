import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { randomOf, type Params } from './lib/vendor'
import { uuid } from './lib/ids'
import { parseUserAgent } from './lib/user-agent'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

/** Zaraz sends these requests from its servers: an export's `server_network_requests` covers them (docs/tools/mixpanel.md). */
export const sentFromServer = true

/** The profile actions of `set_user_property` / `set_group_property` → Mixpanel's operations. */
const OPERATIONS: Record<string, string> = {
  'profile-set': '$set',
  'profile-set-once': '$set_once',
  'profile-numerical-add': '$add',
  'profile-union': '$union',
  'profile-list-append': '$append',
  'profile-list-remove': '$remove',
  'group-set': '$set',
  'group-set-once': '$set_once',
  'group-remove-from-list': '$remove',
  'group-union': '$union',
}

/** The host of an http(s) URL, else Mixpanel's `$direct`. */
function domainOf(url: string): string {
  try {
    const u = new URL(url)
    if (u.protocol == 'http:' || u.protocol == 'https:') return u.host
  } catch {
    // Not a URL (no referrer): direct.
  }
  return '$direct'
}

/** A comma-separated list as an array of its trimmed, non-empty items. */
const list = (v: unknown) =>
  String(v ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)

/**
 * Mixpanel, as the official component builds its requests: `track` events (and `$identify`,
 * `$create_alias`) to `/track`, profile and group updates to `/engage`, on `api.mixpanel.com`
 * (`api-eu` for EU residency). The visitor's ids live in the tool's client storage under the project
 * token, as the component keeps them. From the browser each body travels form-encoded as `data=<JSON>`,
 * as Mixpanel's own browser library sends it (a simple `no-cors` request), and `ip=1` asks Mixpanel
 * to locate the visitor by the request's address.
 */
export default function mixpanel(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  const token = String(settings.token ?? '')
  const host = `https://api${settings.isEU ? '-eu' : ''}.mixpanel.com/`

  /** The visitor's kept ids (made the first time), with the identified user id added when one arrives. */
  const ids = (client: Client, identified?: unknown): Params => {
    let kept: Params | undefined
    try {
      kept = JSON.parse(decodeURIComponent(client.get(token) || 'null'))
    } catch {
      // Unreadable: made again below.
    }
    const save = (v: Params) => client.set(token, encodeURIComponent(JSON.stringify(v)), { scope: 'infinite' })
    if (!kept?.distinct_id) {
      const id = uuid(random)
      kept = {
        distinct_id: id,
        $device_id: id,
        $initial_referrer: client.referer || '$direct',
        $initial_referring_domain: domainOf(client.referer),
        $userId: identified,
      }
      save(kept)
    } else if (identified && !kept.$userId) {
      kept.$userId = identified
      save(kept)
    }
    return kept
  }

  /** The properties every `/track` event carries. */
  const properties = (client: Client, identified?: unknown): Params => {
    const kept = ids(client, identified)
    const ua = parseUserAgent(client.userAgent)
    const url = client.url
    return {
      token,
      $device_id: kept.$device_id,
      distinct_id: kept.$userId || kept.distinct_id,
      time: client.timestamp,
      $insert_id: uuid(random),
      $referrer: client.referer || '$direct',
      $referring_domain: domainOf(client.referer),
      $current_url: url.href,
      $current_domain: url.hostname,
      $current_page_title: client.title,
      $current_url_path: url.pathname,
      $current_url_search: url.search,
      $current_url_protocol: url.protocol,
      $screen_height: client.screenHeight,
      $screen_width: client.screenWidth,
      $browser: ua.browser.name,
      $browser_version: ua.browser.version,
      $os: ua.os.name,
      $device: ua.device.model,
      $gclid: url.searchParams.get('gclid'),
      $fbclid: url.searchParams.get('fbclid'),
    }
  }

  /** The fields every `/engage` update starts with. */
  const profile = (client: Client, p: Params): Params => {
    const kept = ids(client)
    return { $token: token, $distinct_id: kept.$userId || kept.distinct_id, $group_key: p.$group_key, $group_id: p.$group_id }
  }

  const send = (client: Client, path: string, data: unknown) => {
    client.fetch(host + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ data: JSON.stringify(data) }).toString(),
      mode: 'no-cors',
      keepalive: true,
    })
  }

  manager.addEventListener('track', ({ client, payload }: MCEvent) => {
    const { $sr: _sr, $identified_id, event, timestamp: _t, ...fields }: Params = payload ?? {}
    send(client, 'track?verbose=1&ip=1', [{ event, properties: { ...fields, ...properties(client, $identified_id) } }])
  })
  manager.addEventListener('identify', ({ client, payload }: MCEvent) => {
    const identified = payload?.$identified_id
    const props = properties(client, identified)
    send(client, 'track?ip=1', { event: '$identify', properties: { ...props, $identified_id: identified, $anon_id: props.$device_id } })
  })
  manager.addEventListener('create_alias', ({ client, payload }: MCEvent) => {
    send(client, 'track?ip=1', { event: '$create_alias', properties: { ...properties(client), alias: payload?.alias } })
  })

  const setProperties = ({ client, payload }: MCEvent) => {
    const { 'user-set-action': action, 'group-set-action': groupAction, timestamp: _t, $group_key: _k, $group_id: _g, ...fields }: Params = payload ?? {}
    const operation = OPERATIONS[String(action || groupAction)]
    if (!operation) return
    const values: Params = {}
    // A union takes lists: each field is a comma-separated list.
    for (const k of Object.keys(fields)) values[k] = operation == '$union' ? list(fields[k]) : fields[k]
    send(client, 'engage', [{ ...profile(client, payload ?? {}), [operation]: values }])
  }
  const unsetProperties = ({ client, payload }: MCEvent) => send(client, 'engage', [{ ...profile(client, payload ?? {}), $unset: list(payload?.unsetList) }])
  const deleteProfile = ({ client, payload }: MCEvent) => {
    const update: Params = { ...profile(client, payload ?? {}), $delete: null }
    if (typeof payload?.$ignore_alias == 'boolean') update.$ignore_alias = payload.$ignore_alias
    send(client, 'engage', [update])
  }
  manager.addEventListener('set_user_property', setProperties)
  manager.addEventListener('set_group_property', setProperties)
  manager.addEventListener('unset_user_property', unsetProperties)
  manager.addEventListener('unset_group_property', unsetProperties)
  manager.addEventListener('delete_user_profile', deleteProfile)
  manager.addEventListener('delete_group_profile', deleteProfile)
}
