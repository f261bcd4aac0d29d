/** The tools that ship with tagrelay, by component name (as in Zaraz). */
export const BUILT_IN_TOOLS = ['http-request', 'custom-image'] as const
export type BuiltInTool = (typeof BUILT_IN_TOOLS)[number]

/**
 * Settings that are server secrets (access tokens for server APIs): a config that would ship one
 * to every visitor's browser is refused, with the reason. Component → setting → why.
 */
export const SECRET_SETTINGS: Record<string, Record<string, string>> = {}
