import type { Manager, MCEvent } from '../types/mc'
import { put } from '../lib/object'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['client_network_requests']

/** Zaraz sends these requests from its servers: an export's `server_network_requests` covers them (docs/tools/http-request.md). */
export const sentFromServer = true

type Method = 'get' | 'post-json' | 'post-urlencoded'
const METHODS: Method[] = ['get', 'post-json', 'post-urlencoded']

const text = (v: unknown) => (typeof v == 'object' && v !== null ? JSON.stringify(v) : String(v))

/**
 * HTTP Request: sends every event it gets (pageviews, events, e-commerce) to the endpoint in
 * `__setting_endpoint`, with `__setting_method` `get` (fields as query parameters), `post-json`
 * or `post-urlencoded`. Fields starting with `__` are not sent; e-commerce events carry their
 * parameters under `ecommerce`. Either field may also be set in the tool's settings.
 */
export default function httpRequest(manager: Manager, settings: Record<string, unknown>): void {
  const send = ({ payload, client }: MCEvent) => {
    const endpoint = payload.__setting_endpoint ?? settings.__setting_endpoint
    if (!endpoint) return
    const method = String(payload.__setting_method ?? settings.__setting_method ?? 'get').toLowerCase() as Method
    if (!METHODS.includes(method)) return
    const fields: Record<string, unknown> = {}
    for (const k of Object.keys(payload)) if (k.indexOf('__') != 0 && payload[k] !== undefined) put(fields, k, payload[k])
    let url: URL
    try {
      url = new URL(String(endpoint), client.url)
    } catch {
      return
    }
    if (method == 'get') {
      for (const k of Object.keys(fields)) url.searchParams.set(k, text(fields[k]))
      client.fetch(url.href, { method: 'GET' })
    } else if (method == 'post-json') {
      client.fetch(url.href, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fields) })
    } else {
      const form = new URLSearchParams()
      for (const k of Object.keys(fields)) form.set(k, text(fields[k]))
      client.fetch(url.href, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      })
    }
  }
  manager.addEventListener('pageview', send)
  manager.addEventListener('event', send)
  manager.addEventListener('ecommerce', send)
}
