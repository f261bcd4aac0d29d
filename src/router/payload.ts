import type { TemplateScope } from './template'
import { isUnsafeKey, put } from '../lib/object'

/** Fields that steer how a payload is built; they never reach the tool. */
const RESERVED = ['__includeEventProperties', '__includeSystemProperties', '__enrichPayload', '__zaraz_setting_name']

/**
 * The fields that decide where a tool sends or what code it runs, besides `__setting_*`: Custom
 * Image's URL, Custom HTML's markup, Google Ads' account. In every tool (also a copy of one
 * registered under another name), only the config writes them.
 */
const DESTINATIONS = ['imgSrc', 'htmlCode', 'conversionId']

/**
 * The same for one built-in only: the action field that overrides its account setting. (Per
 * component, so a generic name such as `tid` or `pid` stays page data for every other tool.)
 */
const TOOL_DESTINATIONS: Record<string, string> = { bing: 'ti', linkedin: 'pid', snapchat: 'pid', pinterest: 'tid', indeed: 'conversion_id', ziprecruiter: 'enc_account_id' }

const isOn = (v: unknown) => v === true || v === 'true'

/** The own keys of `from` that `skip` leaves, copied into `out`. */
const copy = (from: Record<string, unknown>, skip: (k: string) => boolean, out: Record<string, unknown> = {}) => {
  for (const k of Object.keys(from)) if (!skip(k) && !isUnsafeKey(k)) put(out, k, from[k])
  return out
}

/** `__` names belong to the config (`__setting_*`) and the runtime (`__zaraz*`). */
const configKey = (k: string) => k.startsWith('__')

/**
 * Keys page data (event properties, `set` values of every scope, data-layer keys) never writes
 * into a payload: a tool's settings and where it sends or what code it runs come from the config.
 */
export const notFromPage = (k: string, component?: string) => configKey(k) || DESTINATIONS.includes(k) || (component !== undefined && TOOL_DESTINATIONS[component] === k)

/** Event properties as tools see them: without the `__` keys. */
export const eventProperties = (client: Record<string, unknown>) => copy(client, configKey)

/** Whether an action's fields ask for the event properties. */
export const includesEvent = (fields: Record<string, unknown>) => isOn(fields.__includeEventProperties) || fields.__enrichPayload === 'client'

/**
 * The payload of an action: tool default fields under action fields, then, when asked for, the
 * event properties (which win over a preset field of the same name, except where `notFromPage`)
 * and the system properties.
 */
export function buildPayload(fields: Record<string, unknown>, scope: TemplateScope, extra?: Record<string, unknown>, component?: string): Record<string, unknown> {
  const out = copy(fields, (k) => RESERVED.includes(k))
  // An e-commerce event (`extra`) has no event properties.
  if (!extra && includesEvent(fields)) copy(scope.client, (k) => notFromPage(k, component), out)
  // A spread, not Object.assign: it defines keys (`constructor`, `__proto__`) instead of assigning them.
  const all: Record<string, unknown> = { ...out, ...extra }
  if (isOn(fields.__includeSystemProperties)) all.system = scope.system
  return all
}
