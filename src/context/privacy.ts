import type { PrivacySettings } from '../config/model'
import { safe } from '../lib/safe'

/** Applies the privacy settings to the page's URL and referrer before any tool or template sees them. */
export function privateUrls(href: string, referrer: string, privacy: PrivacySettings): { url: URL | undefined; referrer: string } {
  const url = safe(() => new URL(href))
  if (url && privacy.hideQueryParams) url.search = ''
  // A referrer that is not a URL is passed on as it is.
  let ref = referrer
  const r = referrer && safe(() => new URL(referrer))
  if (r) {
    if (privacy.hideExternalReferer && url && r.hostname != url.hostname) ref = ''
    else if (privacy.hideQueryParams) {
      r.search = ''
      ref = r.href
    }
  }
  return { url, referrer: ref }
}
