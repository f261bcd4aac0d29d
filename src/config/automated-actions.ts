import type { ActionConfig } from '../types/config'
import type { Report } from '../router/template'
import { isPlainObject } from '../lib/object'

/** A tool's actions as written, by id. */
export type ActionEntries = Array<[id: string, action: ActionConfig]>

/** The shorthand `automatedActions` keys that stand for an action: key, listener, firing trigger. */
const AUTOMATED = [
  ['pageview', 'pageview', 'Pageview'],
  ['track', 'event', 'AllTracks'],
]

/** The data of Zaraz's automated actions (REFERENCE.md; a pageview's has no `en`). */
const AUTOMATED_DATA: Record<string, unknown> = { __enrichPayload: 'client', en: '{{ client.__zarazTrack }}' }

/** An exported action that is the automated one: its listener and trigger, and no data of its own (its display name aside). */
const isAutomated = (a: ActionConfig | undefined, type: string, trigger: string) =>
  a?.actionType == type &&
  JSON.stringify(a.firingTriggers) == `["${trigger}"]` &&
  Object.entries(a.data ?? {}).every(([k, v]) => k == '__zaraz_setting_name' || AUTOMATED_DATA[k] === v)

/**
 * A tool entry's `automatedActions` (`auto`) applied to its actions: a present key decides its
 * action (the exported automated one goes, an action with data of its own stays; `true` adds it),
 * and `ecommerce` whether the tool takes e-commerce events. Returns the actions and that.
 */
export function applyAutomatedActions(auto: unknown, actions: ActionEntries, ecommerce: boolean, report: Report): [actions: ActionEntries, ecommerce: boolean] {
  if (auto === undefined) return [actions, ecommerce]
  if (!isPlainObject(auto)) {
    report('automatedActions')
    return [actions, ecommerce]
  }
  for (const k of Object.keys(auto))
    if (!['pageview', 'track', 'ecommerce'].includes(k) || typeof auto[k] != 'boolean') report('automatedActions.' + k, '#automatedKey')
  let kept = actions
  for (const [key, type, trigger] of AUTOMATED) {
    if (auto[key] === undefined) continue
    kept = kept.filter(([, a]) => !isAutomated(a, type, trigger))
    if (auto[key]) kept.push(['__automated_' + key, { actionType: type, firingTriggers: [trigger], data: { __includeEventProperties: true } }])
  }
  return [kept, (auto.ecommerce ?? ecommerce) as boolean]
}
