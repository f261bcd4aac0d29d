import type { Model, Tool } from '../config/model'
import { firesFor, type Decision, type Dispatch, type RouteInput } from './router'
import { text, type Template, type TemplateScope } from './template'
import { includesEvent, notFromPage } from './payload'
import type { Rule, Trigger } from './triggers'

/**
 * Debug mode's explanation of one routed event (in the debugger chunk, not the core): for every
 * action, and for every tool's e-commerce listener when it is an e-commerce event, whether it got
 * the event and why (not). `out` is what `route` gave and `fired` the trigger answers it saw; each
 * dispatch gets its line (`decision`), which later stages amend.
 */
export function explain(model: Model, input: RouteInput, out: Dispatch[], fired = new Map<string, boolean>()): Decision[] {
  const { scope } = input
  const fires = firesFor(model, scope, fired)
  const decisions: Decision[] = []
  const line = (tool: Tool, action: string | undefined, reason: string, sent?: Dispatch, fields?: Template) => {
    if (sent && fields) reason += kept(tool, fields)
    const d: Decision = action === undefined ? { tool: tool.id, sent: !!sent, reason } : { tool: tool.id, action, sent: !!sent, reason }
    if (sent) {
      d.type = sent.type
      d.payload = sent.payload
      sent.decision = d
    }
    decisions.push(d)
  }
  // Page data that named a field only the config writes (the router left it out of the payload).
  const kept = (tool: Tool, fields: Template) => {
    const tried = Object.keys(scope.client).filter((k) => notFromPage(k, tool.component) && !k.startsWith('__zaraz'))
    const asked = tried.length > 0 && includesEvent({ ...(tool.defaultFields(scope) as object), ...(fields(scope) as object) })
    return asked ? `; page data cannot set ${tried.join(', ')} (only the config does): not taken` : ''
  }
  // The first of its dispatches not explained yet: two actions of a tool may share an id (neoEvents).
  const dispatch = (tool: Tool, actionId?: string) => out.find((d) => d.tool == tool && d.actionId === actionId && !d.decision)
  const blocked = (tool: Tool, blocking: string[] = []) => {
    const block = tool.blocking.find(fires) ?? blocking.find(fires)
    return block && `blocking trigger "${block}" matched`
  }

  for (const tool of model.tools)
    for (const action of tool.actions) {
      const firing = action.firing.find(fires)
      if (!firing)
        line(
          tool,
          action.id,
          action.firing.length ? 'no firing trigger matched: ' + action.firing.map((id) => whyNot(model.triggers.get(id)!, scope)).join('; ') : 'it has no firing triggers',
        )
      else {
        // A blocked action has no dispatch (another action of that id may have one).
        const block = blocked(tool, action.blocking)
        line(tool, action.id, block || `firing trigger "${firing}" matched`, block ? undefined : dispatch(tool, action.id), action.fields)
      }
    }
  if (input.ecommerce)
    for (const tool of model.tools) {
      if (!model.ecommerce) line(tool, undefined, 'e-commerce is off in settings.ecommerce')
      else if (!tool.ecommerce) line(tool, undefined, 'e-commerce is off for this tool')
      else {
        const block = blocked(tool)
        line(tool, undefined, block || 'e-commerce event', block ? undefined : dispatch(tool))
      }
    }
  return decisions
}

/** Why a trigger did not fire for this event: its first load rule that failed, or the exclude rule that matched. */
export function whyNot(t: Trigger, scope: TemplateScope): string {
  // What a match rule compared: `{{ client.x }} EQUALS "a" (the value was "b")`.
  const compared = ({ why }: Rule) => why && `${why[0]} ${why[1]} ${JSON.stringify(why[2])} (the value was ${JSON.stringify(text(why[3](scope)))})`
  if (!t.load.length) return `trigger "${t.id}" has no load rules`
  const failed = t.load.find((r) => !r(scope))
  if (failed) return `trigger "${t.id}": ${failed.why ? compared(failed) + ' did not match' : 'its page rule was not what sent this event'}`
  const excluded = t.exclude.find((r) => r(scope))
  return `trigger "${t.id}" is excluded: ${excluded?.why ? compared(excluded) + ' matched' : 'an exclude rule matched'}`
}
