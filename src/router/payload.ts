import type { TemplateScope } from './template'
import { isUnsafeKey, put } from '../lib/object'

/** Fields that steer how a payload is built; they never reach the tool. */
const RESERVED = ['__includeEventProperties', '__includeSystemProperties', '__enrichPayload', '__zaraz_setting_name']

const isOn = (v: unknown) => v === true || v === 'true'

/** The own keys of `from` that `skip` leaves, copied into `out`. */
const copy = (from: Record<string, unknown>, skip: (k: string) => boolean, out: Record<string, unknown> = {}) => {
  for (const k of Object.keys(from)) if (!skip(k) && !isUnsafeKey(k)) put(out, k, from[k])
  return out
}

const runtimeKey = (k: string) => k.startsWith('__zaraz')

/** Event properties as tools see them: without the runtime's own `__zaraz*` keys. */
export const eventProperties = (client: Record<string, unknown>) => copy(client, runtimeKey)

/**
 * The payload of an action: tool default fields under action fields, then, when asked for, every
 * event property (which wins over a preset field of the same name) and the system properties.
 */
export function buildPayload(fields: Record<string, unknown>, scope: TemplateScope, extra?: Record<string, unknown>): Record<string, unknown> {
  const out = copy(fields, (k) => RESERVED.includes(k))
  // An e-commerce event (`extra`) has no event properties.
  if (!extra && (isOn(fields.__includeEventProperties) || fields.__enrichPayload === 'client')) copy(scope.client, runtimeKey, out)
  // A spread, not Object.assign: it defines keys (`constructor`, `__proto__`) instead of assigning them.
  const all: Record<string, unknown> = { ...out, ...extra }
  if (isOn(fields.__includeSystemProperties)) all.system = scope.system
  return all
}
