/**
 * First-party ids and click ids, as vendor pixels keep them. Values live in the tool's client
 * storage (`client.get` / `client.set`, namespaced per tool by the host), so the consent gate and
 * the tool's permissions apply to them like to any other write.
 */
import type { Client } from '../../types/mc'

/** A random id in gtag's and Meta's range: 1 … 2^31 - 1. */
export const randomInt = (random: () => number): number => Math.floor(random() * 2147483647) + 1

/** A random UUID (v4 layout) from the host's random source, so tests can fix it. */
export function uuid(random: () => number): string {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const n = Math.floor(random() * 16)
    return (c == 'x' ? n : (n & 3) | 8).toString(16)
  })
}

/**
 * The id kept under `key`, made by `make()` the first time, its lifetime renewed on each use.
 * With `store` false (the purpose or Consent Mode says no cookie) nothing is read or written and
 * a fresh id is returned, so the hit still leaves without identifying the browser.
 */
export function keptId(client: Client, key: string, make: () => string, expiryMs: number, store = true): string {
  if (!store) return make()
  const id = client.get(key) || make()
  client.set(key, id, { scope: 'infinite', expiry: expiryMs })
  return id
}

/**
 * A click id (`gclid`, `msclkid`, `rdt_cid`…): the landing URL's `param`, then kept under `key` for
 * `expiryMs`, else the kept one. With `store` false only the URL's value is used: nothing is read
 * or written.
 */
export function keptClickId(client: Client, param: string, key: string, expiryMs: number, store = true): string | undefined {
  const fromUrl = client.url.searchParams.get(param)
  if (!store) return fromUrl || undefined
  if (fromUrl) {
    client.set(key, fromUrl, { scope: 'infinite', expiry: expiryMs })
    return fromUrl
  }
  return client.get(key) || undefined
}

/** Days as milliseconds, the unit of `client.set`'s `expiry`. */
export const days = (n: number): number => n * 24 * 3600 * 1000
