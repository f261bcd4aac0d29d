/** The tools that ship with tagrelay, by component name (as in Zaraz). */
export const BUILT_IN_TOOLS = ['http-request', 'custom-image', 'custom-html', 'google-analytics-4', 'facebook-pixel', 'google-ads'] as const
export type BuiltInTool = (typeof BUILT_IN_TOOLS)[number]

/**
 * Settings that are server secrets (access tokens for server APIs): a config that would ship one
 * to every visitor's browser is refused, with the reason. Component → setting → why.
 */
export const SECRET_SETTINGS: Record<string, Record<string, string>> = {
  'facebook-pixel': {
    accessToken:
      'the Conversions API access token is a server secret: in a browser config every visitor could read it and send events in your name. The browser pixel needs only the pixel id (`property`); send server events from your server',
  },
  'google-analytics-4': {
    apiSecret:
      'a Measurement Protocol API secret is a server secret: in a browser config every visitor could read it and send hits to your property. The browser tag needs only the measurement id (`tid`)',
  },
}
