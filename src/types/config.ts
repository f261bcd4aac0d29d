/**
 * The Zaraz configuration JSON, as exported from a Zaraz account (and as written by hand).
 * Every field is optional: the loader fills defaults and the validator reports what is wrong.
 */

/** The ten operators of a match rule. */
export type MatchOperator =
  | 'EQUALS'
  | 'CONTAINS'
  | 'STARTS_WITH'
  | 'ENDS_WITH'
  | 'MATCH_REGEX'
  | 'NOT_MATCH_REGEX'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL'

/** `{{ template }}` EQUALS value, and the like. */
export interface MatchRule {
  id?: string
  match: string
  op: MatchOperator
  value: string
}

/** A rule driven by something the visitor does in the page (click, scroll, timer...). */
export interface ClientRule {
  id?: string
  action:
    | 'clickListener'
    | 'formSubmission'
    | 'timer'
    | 'scrollDepth'
    | 'elementVisibility'
    | 'variableMatch'
  settings: Record<string, unknown>
}

export type TriggerRule = MatchRule | ClientRule

export interface TriggerConfig {
  name?: string
  description?: string
  loadRules?: TriggerRule[]
  excludeRules?: TriggerRule[]
  /** `pageload` marks the built-in Pageview trigger in exports. */
  system?: string
}

export interface ActionConfig {
  actionType: string
  firingTriggers?: string[]
  blockingTriggers?: string[]
  /** Action fields: template strings (or any JSON value) handed to the tool as its payload. */
  data?: Record<string, unknown>
  enabled?: boolean
}

/** The shorthand for the three automated actions of a tool. */
export interface AutomatedActions {
  pageview?: boolean
  track?: boolean
  ecommerce?: boolean
}

export interface ToolConfig {
  type?: 'component' | 'custom-mc' | string
  component?: string
  name?: string
  enabled?: boolean
  settings?: Record<string, unknown>
  defaultFields?: Record<string, unknown>
  permissions?: string[]
  blockingTriggers?: string[]
  actions?: Record<string, ActionConfig>
  /** Deprecated array form of `actions`; `actions` wins when both are present. */
  neoEvents?: Array<ActionConfig & { actionId?: string }>
  automatedActions?: AutomatedActions
  /**
   * tagrelay's own key: `false` inserts template values into Custom HTML's `htmlCode` and Custom
   * Image's `imgSrc` raw, unescaped (visitor input can then run as script). Default: escaped.
   */
  autoescape?: boolean
  defaultPurpose?: string
  vendorName?: string
  vendorPolicyUrl?: string
  [edgeOnly: string]: unknown
}

export interface VariableConfig {
  name?: string
  type: 'string' | 'secret' | 'worker' | string
  value: unknown
}

export interface SettingsConfig {
  autoInjectScript?: boolean
  ecommerce?: boolean
  cookieDomain?: string
  hideQueryParams?: boolean
  hideExternalReferer?: boolean
  hideUserAgent?: boolean
  hideIPAddress?: boolean
  [edgeOnly: string]: unknown
}

export interface ZarazConfig {
  tools?: Record<string, ToolConfig>
  triggers?: Record<string, TriggerConfig>
  variables?: Record<string, VariableConfig>
  settings?: SettingsConfig
  consent?: Record<string, unknown>
  dataLayer?: boolean
  debugKey?: string
  historyChange?: boolean
  zarazVersion?: number
  analytics?: Record<string, unknown>
  [other: string]: unknown
}

/** One problem found in a config, with the JSON path it is at. */
export interface ConfigIssue {
  path: string
  message: string
}
