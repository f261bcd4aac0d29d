import type { PrivacySettings } from '../config/model'
import { safe } from '../lib/safe'

/** Applies the privacy settings to the page's URL and referrer before any tool or template sees them. */
export function privateUrls(href: string, referrer: string, privacy: PrivacySettings): { url: URL | undefined; referrer: string } {
  const url = safe(() => new URL(href))
  if (url && privacy.hideQueryParams) url.search = ''
  // A referrer that is not a URL is passed on as it is.
  const r = referrer && safe(() => new URL(referrer))
  return {
    url,
    referrer: !r
      ? referrer
      : privacy.hideExternalReferer && url && r.hostname != url.hostname
        ? ''
        : privacy.hideQueryParams
          ? ((r.search = ''), r.href)
          : referrer,
  }
}
