import type { ComponentSettings, Manager, MCEvent } from '../types/mc'
import type { TrustedPolicy } from '../platform/trusted-types'

/** Inserting markup runs arbitrary code on the page: the permission `client.execute` needs too. */
export const permissions = ['execute_unsafe_scripts']

/** What `manager.ext.dom()` hands over; `trustedTypes`: the runtime's policy, where the browser has Trusted Types. */
type Dom = { document: Document; nonce?: string; trustedTypes?: TrustedPolicy }

/** Strings as they are, where the browser has no Trusted Types. */
const PLAIN: TrustedPolicy = { createHTML: String, createScript: String, createScriptURL: String }

const on = (v: unknown) => [true, 'true', 1, '1'].includes(v as never)

/** A script attribute's value through the policy: `src` is a script URL, an `on…` handler is script, the rest plain text. */
function attributeValue(policy: TrustedPolicy, { name, value }: Attr): string {
  if (name == 'src') return policy.createScriptURL(value)
  if (/^on/.test(name)) return policy.createScript(value)
  return value
}

/**
 * Inserts `html` at the end of `<body>` and runs its scripts in document order: markup parsed
 * from a string never runs its scripts, so each `<script>` is recreated (same attributes and
 * text, carrying the page's nonce) where it stood; an external script is awaited (load or
 * error) before the next one runs, as the HTML parser would.
 */
async function insertHtml({ document: doc, nonce, trustedTypes: policy = PLAIN }: Dom, html: string): Promise<void> {
  const template = doc.createElement('template')
  template.innerHTML = policy.createHTML(html)
  const parent = doc.body || doc.documentElement
  // Markers keep each script's place while the rest of the markup goes in at once.
  const scripts = Array.from(template.content.querySelectorAll('script'), (dead) => {
    const mark = doc.createComment('tagrelay')
    dead.replaceWith(mark)
    return [dead, mark] as const
  })
  parent.appendChild(template.content)
  for (const [dead, mark] of scripts) {
    const live = doc.createElement('script')
    for (const a of Array.from(dead.attributes)) if (a.name != 'nonce') live.setAttribute(a.name, attributeValue(policy, a))
    if (nonce) live.nonce = nonce
    live.async = false
    // (textContent: an SVG <script> has no `.text`.)
    live.text = policy.createScript(dead.textContent || '')
    if (mark.parentNode) mark.replaceWith(live)
    else parent.appendChild(live)
    // (Its load or error event is a task of its own: listening after the insertion misses neither.
    // Listeners, not `onload =`: that would replace the script's own `onload` / `onerror` attribute.)
    if (live.hasAttribute('src'))
      await new Promise((resolve) => {
        live.addEventListener('load', resolve)
        live.addEventListener('error', resolve)
      })
  }
}

/** The page's document, for a host without `manager.ext.dom` (none outside a browser). */
const pageDom = (): Dom | undefined => (typeof document == 'object' ? { document } : undefined)

/**
 * Custom HTML: inserts the `htmlCode` field into the page for each event it gets (pageviews,
 * events, e-commerce) and runs its scripts in order. With the `ignoreSPA` field (or setting) on,
 * pageviews after the page's first one (SPA navigations) do not run it again.
 */
export default function customHtml(manager: Manager, settings: ComponentSettings): void {
  let pageviews = 0
  const run = ({ type, payload }: MCEvent) => {
    const p = payload ?? {}
    const html = p.htmlCode ?? settings.htmlCode
    if (type == 'pageview' && pageviews++ && on(p.ignoreSPA ?? settings.ignoreSPA)) return
    if (typeof html != 'string' || !html) return
    const dom = manager.ext?.dom as (() => Dom | undefined) | undefined
    const target = dom ? dom() : pageDom()
    // Not awaited: track() does not wait for the page's scripts to download.
    if (target) insertHtml(target, html).catch(() => undefined)
  }
  manager.addEventListener('pageview', run)
  manager.addEventListener('event', run)
  manager.addEventListener('ecommerce', run)
}
