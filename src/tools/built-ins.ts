/** The tools that ship with tagrelay, by component name (as in Zaraz). */
export const BUILT_IN_TOOLS = ['http-request', 'custom-image', 'custom-html', 'google-analytics-4', 'facebook-pixel', 'google-ads'] as const
export type BuiltInTool = (typeof BUILT_IN_TOOLS)[number]
