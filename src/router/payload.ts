import { isUnsafeKey } from '../lib/object'

/** Fields that steer how a payload is built; they never reach the tool. */
const RESERVED = ['__includeEventProperties', '__includeSystemProperties', '__enrichPayload', '__zaraz_setting_name']

const isOn = (v: unknown) => v === true || v === 'true'

/** Event properties as tools see them: without the runtime's own `__zaraz*` keys. */
export function eventProperties(client: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(client)) if (k.indexOf('__zaraz') != 0 && !isUnsafeKey(k)) out[k] = client[k]
  return out
}

/**
 * The payload of an action: tool default fields under action fields, then, when asked for, every
 * event property (which wins over a preset field of the same name) and the system properties.
 */
export function buildPayload(
  fields: Record<string, unknown>,
  client: Record<string, unknown>,
  system: () => Record<string, unknown>,
  extra?: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(fields)) if (!RESERVED.includes(k) && !isUnsafeKey(k)) out[k] = fields[k]
  if (isOn(fields.__includeEventProperties) || fields.__enrichPayload === 'client') Object.assign(out, eventProperties(client))
  if (extra) Object.assign(out, extra)
  if (isOn(fields.__includeSystemProperties)) out.system = system()
  return out
}
