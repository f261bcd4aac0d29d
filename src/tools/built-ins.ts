import type { MarkupKind } from '../router/template'

/** The tools that ship with tagrelay, by component name (as in Zaraz). */
export const BUILT_IN_TOOLS = [
  'http-request',
  'custom-image',
  'custom-html',
  'google-analytics-4',
  'facebook-pixel',
  'google-ads',
  // The catalogue (docs/tools/README.md): add a tool's name on its own line, in alphabetical order.
  'amplitude',
  'bing',
  'branch',
  'floodlight',
  'google-maps-RWG',
  'hubspot',
  'iHire',
  'impact-radius',
  'indeed',
  'linkedin',
  'mixpanel',
  'outbrain',
  'pinterest',
  'podsights',
  'quora',
  'reddit',
  'segment',
  'snapchat',
  'snowplow',
  'taboola',
  'tatari',
  'tiktok',
  'twitter',
  'upward',
  'ziprecruiter',
] as const
export type BuiltInTool = (typeof BUILT_IN_TOOLS)[number]

/**
 * The field of a component written into markup or a URL, and which: its template values are
 * escaped for their place (docs/tools/custom-html.md), unless the tool entry says
 * `"autoescape": false`.
 */
export const MARKUP_FIELDS: Record<string, readonly [string, MarkupKind] | undefined> = { 'custom-html': ['htmlCode', 'html'], 'custom-image': ['imgSrc', 'url'] }
