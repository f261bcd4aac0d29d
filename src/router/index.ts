import type { Tool } from '../config/model'
import type { Trigger } from './triggers'

/** One action of one tool, numbered in config order (tools first, then their actions). */
export interface IndexEntry {
  tool: number
  action: number
  order: number
}

/**
 * Which actions an event can reach. An action whose firing triggers are all pinned to an event
 * name (or to a page rule) is filed under those names; any other action is checked for every
 * event. Routing an event then costs the actions that can fire for it, not every action there is.
 */
export interface RouteIndex {
  byKey: Map<string, IndexEntry[]>
  always: IndexEntry[]
}

export function buildIndex(tools: Tool[], triggers: Map<string, Trigger>): RouteIndex {
  const byKey = new Map<string, IndexEntry[]>()
  const always: IndexEntry[] = []
  let order = 0
  tools.forEach((tool, t) =>
    tool.actions.forEach((action, a) => {
      const entry = { tool: t, action: a, order: order++ }
      const keys = action.firing.map((id) => triggers.get(id)?.key)
      if (keys.includes(undefined)) {
        always.push(entry)
        return
      }
      for (const k of new Set(keys as string[])) {
        const list = byKey.get(k)
        if (list) list.push(entry)
        else byKey.set(k, [entry])
      }
    }),
  )
  return { byKey, always }
}

/** The entries an event named `key` can reach, in config order. */
export function candidates(index: RouteIndex, key: string): IndexEntry[] {
  const pinned = index.byKey.get(key)
  return pinned ? [...pinned, ...index.always].sort((a, b) => a.order - b.order) : index.always
}
