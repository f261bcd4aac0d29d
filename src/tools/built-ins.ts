/** The tools that ship with tagrelay, by component name (as in Zaraz). */
export const BUILT_IN_TOOLS = ['http-request', 'custom-image', 'custom-html', 'google-analytics-4', 'facebook-pixel', 'google-ads'] as const
export type BuiltInTool = (typeof BUILT_IN_TOOLS)[number]

/**
 * Settings that are server secrets (access tokens for server APIs): a config that would ship one
 * to every visitor's browser is refused. Component → its secret settings (the values say nothing:
 * the core needs only the names).
 */
export const SECRET_SETTINGS: Record<string, Record<string, 1>> = {
  'facebook-pixel': { accessToken: 1 },
  'google-analytics-4': { apiSecret: 1 },
}

/**
 * Why each of them is refused, by `"<component> <setting>"`: the words of the config problem, read
 * only where config problems are put in words (the `config-messages` chunk, the debugger).
 */
export const SECRET_REASONS: Record<string, string> = {
  'facebook-pixel accessToken':
    'the Conversions API access token is a server secret: in a browser config every visitor could read it and send events in your name. The browser pixel needs only the pixel id (`property`); send server events from your server',
  'google-analytics-4 apiSecret':
    'a Measurement Protocol API secret is a server secret: in a browser config every visitor could read it and send hits to your property. The browser tag needs only the measurement id (`tid`)',
}
