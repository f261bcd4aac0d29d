import type { Template } from '../router/template'
import type { Trigger } from '../router/triggers'
import type { PageRule } from '../router/page-rule-settings'
import type { RouteIndex } from '../router/index'

/** An action ready to route: triggers resolved, fields compiled. */
export interface Action {
  id: string
  /** The listener it goes to: `pageview`, `event`, or a custom type such as `conversion`. */
  type: string
  firing: string[]
  blocking: string[]
  fields: Template
}

export interface Tool {
  id: string
  component: string
  name: string
  /** As configured until the runtime starts, then with their templates resolved (once). */
  settings: Record<string, unknown>
  settingsTemplate?: Template
  /** `undefined`: the component's own defaults apply. */
  permissions: string[] | undefined
  blocking: string[]
  actions: Action[]
  defaultFields: Template
  ecommerce: boolean
  purpose: string | undefined
}

export interface PrivacySettings {
  hideQueryParams: boolean
  hideExternalReferer: boolean
  hideUserAgent: boolean
}

/** The loaded config: what the router, the context and the tool host read. */
export interface Model {
  tools: Tool[]
  triggers: Map<string, Trigger>
  variables: Record<string, Template>
  ecommerce: boolean
  privacy: PrivacySettings
  cookieDomain: string | undefined
  /** Whether any template or payload can read the parsed user agent (it is then loaded). */
  needsUserAgent: boolean
  /** Triggers driven by the page, armed by the `page-rules` chunk when there are any. */
  pageRules: PageRule[]
  /** Which actions an event can reach, by event name. */
  index: RouteIndex
}
