import type { SetScope } from '../types/zaraz'
import { isUnsafeKey, put } from '../lib/object'

const PREFIX = '_zaraz_'

export interface ValueStore {
  /** Stores `value` (JSON) in `scope`; `undefined` removes the key from every scope. */
  set(key: string, value: unknown, scope: SetScope): void
  /** The merged view persist < session < page. A new object after every change, so callers may keep it. */
  snapshot(): Readonly<Record<string, unknown>>
  /** Drops page-scope values (an SPA navigation). */
  clearPage(): void
  /** Called after every `set` (for variable-match triggers). */
  onChange(listener: (key: string, value: unknown) => void): void
}

function readAll(storage: Storage | undefined, into: Record<string, unknown>) {
  try {
    // (No storage throws here too: the scope is then empty.)
    for (let i = 0; i < storage!.length; i++) {
      // (Within `length` a key is never null.)
      const k = storage!.key(i)!
      const key = k.slice(PREFIX.length)
      if (k.indexOf(PREFIX) || isUnsafeKey(key)) continue
      const v = storage!.getItem(k)
      try {
        put(into, key, JSON.parse(v as string))
      } catch {
        // A value another script wrote without JSON: keep it as the string it is.
        put(into, key, v)
      }
    }
  } catch {
    // Storage can throw (quota, privacy modes): the scope is then empty.
  }
}

function write(storage: Storage | undefined, key: string, json?: string) {
  try {
    if (json === undefined) storage!.removeItem(PREFIX + key)
    else storage!.setItem(PREFIX + key, json)
  } catch {
    // Quota exceeded, storage disabled or none at all: the value still lives in memory for this page.
  }
}

/** The three scopes of `zaraz.set`: page (memory), session (sessionStorage), persist (localStorage). */
export function createValueStore(local?: Storage, session?: Storage): ValueStore {
  const scopes: Record<SetScope, Record<string, unknown>> = { persist: {}, session: {}, page: {} }
  readAll(local, scopes.persist)
  readAll(session, scopes.session)
  let merged: Readonly<Record<string, unknown>> | undefined
  const listeners: Array<(key: string, value: unknown) => void> = []
  const changed = (key: string, value: unknown) => {
    for (const l of listeners) l(key, value)
  }

  return {
    set(key, value, scope) {
      merged = undefined
      if (value === undefined) {
        for (const s of Object.keys(scopes) as SetScope[]) delete scopes[s][key]
        write(local, key)
        write(session, key)
        return changed(key, undefined)
      }
      // The stored value is the JSON round trip, so a read returns what storage would.
      const json = JSON.stringify(value)
      put(scopes[scope], key, JSON.parse(json))
      if (scope != 'page') write(scope == 'persist' ? local : session, key, json)
      changed(key, scopes[scope][key])
    },
    snapshot() {
      return (merged ??= Object.freeze({ ...scopes.persist, ...scopes.session, ...scopes.page }))
    },
    clearPage() {
      merged = undefined
      scopes.page = {}
    },
    onChange(listener) {
      listeners.push(listener)
    },
  }
}
