import type { Client, Manager, MCEvent } from '../types/mc'

export const permissions = ['client_network_requests']

/**
 * Custom Image: requests the URL in the `imgSrc` field as an image (an `<img>`, so no CORS and
 * the page's `img-src` CSP applies). Relative URLs resolve against the page. On a host without
 * the image extension it falls back to a `no-cors` fetch. Template values in `imgSrc` are escaped
 * when the config is compiled (URL-encoded; no `javascript:` or `data:` URL): src/autoescape/.
 */
export default function customImage(manager: Manager): void {
  const send = ({ payload, client }: MCEvent) => {
    const src = payload.imgSrc
    if (typeof src != 'string' || !src) return
    let url: URL
    try {
      url = new URL(src, client.url)
    } catch {
      return
    }
    // An image request goes over HTTP: never a `javascript:` or `data:` URL (nor the escaper's `about:invalid`).
    if (!/^https?:$/.test(url.protocol)) return
    const image = manager.ext?.image as ((url: string, client?: Client) => boolean | undefined) | undefined
    // The client tells the host which event the request belongs to.
    if (image) image(url.href, client)
    else client.fetch(url.href, { mode: 'no-cors', credentials: 'include' })
  }
  manager.addEventListener('pageview', send)
  manager.addEventListener('event', send)
  manager.addEventListener('ecommerce', send)
}
