import type { Model, Tool } from '../config/model'
import type { Template, TemplateScope } from './template'
import { PAGE_RULE_EVENT, pageRuleKey, triggerMatches } from './triggers'
import { buildPayload, eventProperties } from './payload'
import { candidates } from './index'

/** One tool listener call the event leads to. */
export interface Dispatch {
  tool: Tool
  /** `pageview`, `event`, `ecommerce`, or a custom action type. */
  type: string
  name: string
  actionId: string | undefined
  payload: Record<string, unknown>
  /** Its line in the debug explanation, for later stages to amend (consent holds it, then releases it). */
  decision?: Decision
}

/** Why a tool or action did or did not get an event (kept only when someone listens: debug mode). */
export interface Decision {
  tool: string
  action?: string
  sent: boolean
  reason: string
  /** For what was sent: the listener type and the payload. */
  type?: string
  payload?: Record<string, unknown>
}

export interface RouteInput {
  name: string
  ecommerce: boolean
  /** The call's own properties (the e-commerce parameters for `ecommerce()`). */
  properties: Record<string, unknown>
  scope: TemplateScope
}

/**
 * Decides which tool listeners an event reaches: actions whose firing triggers match and whose
 * blocking triggers (action- or tool-level) do not, and the e-commerce listener of tools that
 * take e-commerce. Each trigger is evaluated at most once per event: `fired` keeps what each one
 * gave, for debug mode's explanation (`explain`, in the debugger chunk) to read the same answers.
 */
export function route(model: Model, input: RouteInput, fired = new Map<string, boolean>()): Dispatch[] {
  const { scope, name } = input
  const fires = firesFor(model, scope, fired)
  const out: Dispatch[] = []
  const defaults = new Map<Tool, Record<string, unknown>>()
  // Tool default fields under action fields; an e-commerce event (`extra`) has no event properties.
  const send = (tool: Tool, type: string, actionId?: string, fields?: Template, extra?: Record<string, unknown>) => {
    let d = defaults.get(tool)
    if (!d) defaults.set(tool, (d = tool.defaultFields(scope) as Record<string, unknown>))
    out.push({ tool, type, name, actionId, payload: buildPayload({ ...d, ...(fields?.(scope) as object) }, scope, extra, tool.component) })
  }
  // Only the actions this event can reach are looked at.
  for (const entry of candidates(model.index, name == PAGE_RULE_EVENT ? pageRuleKey(String(scope.client.__zarazClientTriggerId)) : name)) {
    const tool = model.tools[entry.tool]
    const action = tool.actions[entry.action]
    if (action.firing.some(fires) && !tool.blocking.some(fires) && !action.blocking.some(fires)) send(tool, action.type, action.id, action.fields)
  }
  // `payload.name` is the e-commerce name too, as Cloudflare's WebCM gives it (components read it there).
  if (input.ecommerce && model.ecommerce)
    for (const tool of model.tools) if (tool.ecommerce && !tool.blocking.some(fires)) send(tool, 'ecommerce', undefined, undefined, { name, ecommerce: eventProperties(input.properties) })
  return out
}

/** Whether a trigger matches this event, asking each trigger once (`fired` keeps the answers). */
export const firesFor = (model: Model, scope: TemplateScope, fired: Map<string, boolean>) => (id: string) => {
  let m = fired.get(id)
  if (m === undefined) fired.set(id, (m = triggerMatches(model.triggers.get(id)!, scope)))
  return m
}
