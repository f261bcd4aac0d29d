import type { TrackedEvent } from '../types/event'
import type { UserAgentInfo } from './user-agent'
import { readCookies } from '../lib/cookies'
import { registrableDomain } from '../lib/cookie-domain'
import { put } from '../lib/object'

/** What the browser knows about the page and the device, for one event: `system.*` in templates. */
export interface SystemProperties {
  page: {
    url: Record<string, string>
    title: string
    referrer: string
    query: Record<string, string>
    encoding: string
  }
  cookies: Record<string, string>
  device: {
    ip: string
    resolution: string
    viewport: string
    language: string
    location: Record<string, string>
    'user-agent': UserAgentInfo
  }
  consent: Record<string, boolean>
  /** Every tool's client KV values as `<toolId>_<key>`, read when a template reads them. */
  clientKV: Record<string, string>
  misc: { random: number; timestamp: number; timestampMilliseconds: number }
}

export interface DeviceInfo {
  screenWidth: number
  screenHeight: number
  viewportWidth: number
  viewportHeight: number
  language: string
  userAgent: string
  timezoneOffset: number
}

export function readDevice(w: Window | undefined): DeviceInfo {
  return {
    screenWidth: w?.screen?.width ?? 0,
    screenHeight: w?.screen?.height ?? 0,
    viewportWidth: w?.innerWidth ?? 0,
    viewportHeight: w?.innerHeight ?? 0,
    language: w?.navigator?.language ?? '',
    userAgent: w?.navigator?.userAgent ?? '',
    timezoneOffset: new Date().getTimezoneOffset(),
  }
}

const URL_PARTS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'] as const

/**
 * `system.*` for one event. `urls` are the page's URL and referrer after the privacy settings
 * (`privateUrls`, computed once per event by the pipeline).
 */
export function buildSystem(
  event: TrackedEvent,
  { url, referrer }: { url: URL | undefined; referrer: string },
  device: DeviceInfo,
  userAgent: UserAgentInfo,
  document: Document | undefined,
  consent: Record<string, boolean>,
  random: number,
  kv: () => Record<string, string>,
): SystemProperties {
  // Read only when a template reads them (the base domain costs test cookies, client KV all storage), once per event.
  let baseDomain: string | undefined
  let clientKV: Record<string, string> | undefined
  const urlParts: Record<string, string> = url
    ? {
        // The highest registrable domain, found as the cookie domain is; the hostname where cookies cannot tell.
        get baseDomain() {
          return (baseDomain ??= (document && registrableDomain(document, url.hostname)) || url.hostname)
        },
      }
    : {}
  const query: Record<string, string> = {}
  if (url) {
    for (const k of URL_PARTS) urlParts[k] = url[k]
    url.searchParams.forEach((v, k) => {
      if (k != '__proto__') put(query, k, v)
    })
  }
  return {
    page: { url: urlParts, title: event.page.title, referrer, query, encoding: document?.characterSet ?? 'UTF-8' },
    cookies: readCookies(document),
    device: {
      ip: '',
      resolution: `${device.screenWidth}x${device.screenHeight}`,
      viewport: `${device.viewportWidth}x${device.viewportHeight}`,
      language: device.language,
      location: {},
      'user-agent': userAgent,
    },
    consent,
    get clientKV() {
      return (clientKV ??= kv())
    },
    misc: { random, timestamp: Math.floor(event.time / 1000), timestampMilliseconds: event.time },
  }
}
