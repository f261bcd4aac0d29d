import type { Model, Tool } from '../config/model'
import type { TemplateScope } from './template'
import { PAGE_RULE_EVENT, pageRuleKey, triggerMatches, whyNot } from './triggers'
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
 * take e-commerce. Each trigger is evaluated at most once per event.
 */
export function route(model: Model, input: RouteInput, explain?: Decision[]): Dispatch[] {
  const { scope } = input
  const memo = new Map<string, boolean>()
  const fires = (id: string) => {
    let m = memo.get(id)
    if (m === undefined) memo.set(id, (m = triggerMatches(model.triggers.get(id)!, scope)))
    return m
  }
  const system = () => scope.system as unknown as Record<string, unknown>
  const out: Dispatch[] = []

  const toolBlock = new Map<Tool, string | undefined>()
  const blockOf = (tool: Tool) => {
    if (!toolBlock.has(tool)) toolBlock.set(tool, tool.blocking.find(fires))
    return toolBlock.get(tool)
  }
  const defaults = new Map<Tool, Record<string, unknown>>()
  const defaultFields = (tool: Tool) => {
    let d = defaults.get(tool)
    if (!d) defaults.set(tool, (d = tool.defaultFields(scope) as Record<string, unknown>))
    return d
  }

  // Debug mode explains every action; otherwise only the actions this event can reach are looked at.
  const key = input.name == PAGE_RULE_EVENT ? pageRuleKey(String(scope.client.__zarazClientTriggerId)) : input.name
  for (const entry of explain ? model.index.all : candidates(model.index, key)) {
    const tool = model.tools[entry.tool]
    const action = tool.actions[entry.action]
    const firing = action.firing.find(fires)
    if (!firing) {
      explain?.push({
        tool: tool.id,
        action: action.id,
        sent: false,
        reason: action.firing.length ? 'no firing trigger matched: ' + action.firing.map((id) => whyNot(model.triggers.get(id)!, scope)).join('; ') : 'it has no firing triggers',
      })
      continue
    }
    const block = blockOf(tool) ?? action.blocking.find(fires)
    if (block) {
      explain?.push({ tool: tool.id, action: action.id, sent: false, reason: `blocking trigger "${block}" matched` })
      continue
    }
    const fields = { ...defaultFields(tool), ...(action.fields(scope) as Record<string, unknown>) }
    const payload = buildPayload(fields, scope.client, system)
    const decision: Decision = { tool: tool.id, action: action.id, sent: true, reason: `firing trigger "${firing}" matched`, type: action.type, payload }
    explain?.push(decision)
    out.push({ tool, type: action.type, name: input.name, actionId: action.id, payload, decision: explain && decision })
  }

  if (input.ecommerce)
    for (const tool of model.tools) {
      const toolBlocked = model.ecommerce && tool.ecommerce ? blockOf(tool) : undefined
      const why = !model.ecommerce
        ? 'e-commerce is off in settings.ecommerce'
        : !tool.ecommerce
          ? 'e-commerce is off for this tool'
          : toolBlocked
            ? `blocking trigger "${toolBlocked}" matched`
            : ''
      if (why) explain?.push({ tool: tool.id, sent: false, reason: why })
      else {
        const payload = buildPayload(defaultFields(tool), {}, system, { ecommerce: eventProperties(input.properties) })
        const decision: Decision = { tool: tool.id, sent: true, reason: 'e-commerce event', type: 'ecommerce', payload }
        explain?.push(decision)
        out.push({ tool, type: 'ecommerce', name: input.name, actionId: undefined, payload, decision: explain && decision })
      }
    }
  return out
}
