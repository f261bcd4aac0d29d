import type { MARKUP_FIELDS } from '../tools/built-ins'
import type { Report, Template } from '../router/template'
import { isPlainObject, isUnsafeKey } from '../lib/object'

/** Plain helpers for reading a config section by section (compile.ts and the modules it composes). */

/** The field of a component written into markup or a URL, and how (see MARKUP_FIELDS). */
export type Markup = (typeof MARKUP_FIELDS)[string]

/** Compiles the value at `key` (its problems reported there); `markup`: its field written into markup or a URL. */
export type CompileAt = (value: unknown, report: Report, key: string, markup?: Markup) => Template

/** `v` when it is an object; else the error `#key` at `key` (unless `v` is absent) and `{}`. */
export const objectAt = (v: unknown, report: Report, key: string): Record<string, unknown> => {
  if (isPlainObject(v)) return v
  if (v !== undefined) report(key)
  return {}
}

/** Own entries of a section, without the one key that could not be set. */
export const ownEntries = (v: Record<string, unknown>) => Object.entries(v).filter(([k]) => !isUnsafeKey(k))

/** Trigger ids at `key`: unknown ones are errors (and then the model is not used). */
export const triggerIds = (triggers: Map<string, unknown>, report: Report, key: string, ids: unknown = []): string[] => {
  if (!Array.isArray(ids)) {
    report(key, '#triggerIds')
    return []
  }
  ids.forEach((id, i) => {
    if (!triggers.has(id)) report(`${key}[${i}]`, '#unknownTrigger ' + JSON.stringify(id))
  })
  return ids
}
