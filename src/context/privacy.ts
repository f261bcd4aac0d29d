import type { PrivacySettings } from '../config/model'

/** Applies the privacy settings to the page's URL and referrer before any tool or template sees them. */
export function privateUrls(href: string, referrer: string, privacy: PrivacySettings): { url: URL | undefined; referrer: string } {
  let url: URL | undefined
  try {
    url = new URL(href)
  } catch {
    url = undefined
  }
  if (url && privacy.hideQueryParams) url.search = ''
  let ref = referrer
  if (ref) {
    try {
      const r = new URL(ref)
      if (privacy.hideExternalReferer && url && r.hostname != url.hostname) ref = ''
      else if (privacy.hideQueryParams) {
        r.search = ''
        ref = r.href
      }
    } catch {
      // A referrer that is not a URL is passed on as it is.
    }
  }
  return { url, referrer: ref }
}
