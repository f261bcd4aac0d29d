import type { Client, Manager, MCEvent } from '../types/mc'

export const permissions = ['client_network_requests']

/**
 * Custom Image: requests the URL in the `imgSrc` field as an image (an `<img>`, so no CORS and
 * the page's `img-src` CSP applies). Relative URLs resolve against the page. On a host without
 * the image extension it falls back to a `no-cors` fetch.
 */
export default function customImage(manager: Manager): void {
  const send = ({ payload, client }: MCEvent) => {
    const src = payload.imgSrc
    if (!src) return
    let url: string
    try {
      url = new URL(String(src), client.url).href
    } catch {
      return
    }
    const image = manager.ext?.image as ((url: string, client?: Client) => boolean | undefined) | undefined
    // The client tells the host which event the request belongs to.
    if (image) image(url, client)
    else client.fetch(url, { mode: 'no-cors', credentials: 'include' })
  }
  manager.addEventListener('pageview', send)
  manager.addEventListener('event', send)
  manager.addEventListener('ecommerce', send)
}
