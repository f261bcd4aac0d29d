import { safe } from '../lib/safe'

/**
 * The one Trusted Types policy, `tagrelay`, for the places the runtime hands the page script or
 * markup: chunk `<script src>`, `client.execute`, Custom HTML and widgets. It passes strings
 * through unchanged (running the code a site's config names is what a tag manager is for); what
 * it buys is that a page enforcing `require-trusted-types-for 'script'` can allow exactly this
 * policy by name (`trusted-types tagrelay`). See docs/csp.md.
 */
export interface TrustedPolicy {
  createHTML(s: string): string
  createScript(s: string): string
  createScriptURL(s: string): string
}

type Page = Window & { trustedTypes?: { createPolicy(name: string, rules: TrustedPolicy): TrustedPolicy } }

const pass = (s: string) => s
const plain: TrustedPolicy = { createHTML: pass, createScript: pass, createScriptURL: pass }
const made = new WeakMap<object, TrustedPolicy>()

/**
 * The page's `tagrelay` policy, created once per window; plain strings where Trusted Types do not
 * exist or refuse it (the page's CSP does not allow the name, or it exists already: sinks then
 * refuse, and each caller fails soft where it already handles a failure).
 */
export function trusted(w: Window | undefined): TrustedPolicy {
  let p = w && made.get(w)
  if (w && !p) {
    p = safe(() => (w as Page).trustedTypes?.createPolicy('tagrelay', plain)) || plain
    made.set(w, p)
  }
  return p || plain
}

/** The policy only where the browser has Trusted Types (what a lazily loaded tool is handed). */
export const policyFor = (w: Window | undefined): TrustedPolicy | undefined =>
  (w as Page | undefined)?.trustedTypes && trusted(w)
