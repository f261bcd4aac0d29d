import type { MarkupKind } from '../router/template'

/** The tools that ship with tagrelay, by component name (as in Zaraz). */
export const BUILT_IN_TOOLS = ['http-request', 'custom-image', 'custom-html', 'google-analytics-4', 'facebook-pixel', 'google-ads'] as const
export type BuiltInTool = (typeof BUILT_IN_TOOLS)[number]

/**
 * Settings that are server secrets (access tokens for server APIs): a config that would ship one
 * to every visitor's browser is refused. Component → setting; the words of why are with the other
 * config messages (src/config/messages.ts), outside the core.
 */
export const SECRET_SETTINGS: Record<string, string> = { 'facebook-pixel': 'accessToken', 'google-analytics-4': 'apiSecret' }

/**
 * The field of a component written into markup or a URL, and which: its template values are
 * escaped for their place (docs/tools/custom-html.md), unless the tool entry says
 * `"autoescape": false`.
 */
export const MARKUP_FIELDS: Record<string, readonly [string, MarkupKind] | undefined> = { 'custom-html': ['htmlCode', 'html'], 'custom-image': ['imgSrc', 'url'] }
