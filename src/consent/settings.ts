import { isPlainObject } from '../lib/object'
import type { ZarazConsentPurpose } from '../types/zaraz'

/** One consent purpose, as `zaraz.consent.purposes` shows it: texts by language code. */
export type Purpose = ZarazConsentPurpose

/** The `consent` section of a Zaraz config, read once. */
export interface ConsentSettings {
  enabled: boolean
  cookieName: string
  /** By id (parsed on first read). */
  readonly purposes: Record<string, Purpose>
  /** Purpose ids in display order (parsed on first read). */
  readonly ids: string[]
  hideModal: boolean
  defaultLanguage: string
  /** The whole section, for the modal (texts, `customCSS`, button translations). */
  raw: Record<string, unknown>
}

/** `v` when it is a plain object, else an empty one. */
export const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {})
/** `v` when it is a non-empty string, else `or` (`undefined` when left out). */
export const str = <T = undefined>(v: unknown, or?: T): string | T => (typeof v == 'string' && v) || or!

/**
 * Reads purposes from `purposesWithTranslations` (texts by language) and `purposes` (plain texts,
 * taken as the default language); a purpose listed in either exists. Sorted by `order`, then id.
 * Cheap: `purposes` and `ids` are parsed on first use, so a page without consent never parses them.
 */
export function readConsentSettings(consent: unknown): ConsentSettings {
  const raw = obj(consent)
  const lang = str(raw.defaultLanguage, 'en')
  let purposes: Record<string, Purpose> | undefined
  let ids: string[] = []
  const parse = () => {
    const plain = obj(raw.purposes)
    const translated = obj(raw.purposesWithTranslations)
    // No prototype: an id like "constructor" is a purpose only when the config has it.
    const out: Record<string, Purpose> = (purposes = Object.create(null))
    // Each id once: the translated ones first, in their order, then the plain ones.
    for (const id of Object.keys({ ...translated, ...plain })) {
      if (id == '__proto__') continue
      const both = [obj(plain[id]), obj(translated[id])]
      // Texts by language (a plain string is the default language's), the translated ones winning.
      const texts = (k: string) =>
        Object.assign({}, ...both.map((o) => (typeof o[k] == 'string' ? { [lang]: o[k] } : Object.fromEntries(Object.entries(obj(o[k])).filter((e) => typeof e[1] == 'string')))))
      out[id] = { id, name: texts('name'), description: texts('description'), order: [both[1].order, both[0].order, 0].find((n) => typeof n == 'number') as number }
    }
    ids = Object.keys(out).sort((a, b) => out[a].order - out[b].order || (a < b ? -1 : 1))
    return out
  }
  return {
    enabled: raw.enabled === true,
    cookieName: str(raw.cookieName, 'zaraz-consent'),
    get purposes() {
      return purposes || parse()
    },
    get ids() {
      if (!purposes) parse()
      return ids
    },
    hideModal: raw.hideModal === true,
    defaultLanguage: lang,
    raw,
  }
}

/** A consent problem in a config, with its JSON path (the shape `validateConfig` reports). */
export interface ConsentIssue {
  path: string
  message: string
}

/**
 * Checks what only consent knows: each tool's `defaultPurpose` names a configured purpose, and
 * the bridge mappings name purposes and valid TCF / Consent Mode keys. Meant to be called by the
 * config compiler and reported as errors when consent is enabled (warnings otherwise).
 */
export function checkConsentConfig(config: unknown): ConsentIssue[] {
  const issues: ConsentIssue[] = []
  if (!isPlainObject(config)) return issues
  const s = readConsentSettings(config.consent)
  const known = (id: unknown) => typeof id == 'string' && !!s.purposes[id]
  const tools = isPlainObject(config.tools) ? config.tools : {}
  for (const id of Object.keys(tools)) {
    const t = tools[id]
    if (!isPlainObject(t) || t.defaultPurpose === undefined || t.defaultPurpose === '') continue
    if (!known(t.defaultPurpose))
      issues.push({ path: `tools.${id}.defaultPurpose`, message: `unknown purpose ${JSON.stringify(t.defaultPurpose)} (not in consent.purposes or consent.purposesWithTranslations)` })
  }
  const map = (key: string, valid: (v: unknown) => boolean, what: string) => {
    const m = s.raw[key]
    if (m === undefined) return
    if (!isPlainObject(m)) {
      issues.push({ path: `consent.${key}`, message: 'expected an object of purpose id → list' })
      return
    }
    for (const id of Object.keys(m)) {
      if (!known(id)) issues.push({ path: `consent.${key}.${id}`, message: `unknown purpose ${JSON.stringify(id)}` })
      const list = m[id]
      if (!Array.isArray(list) || !list.every(valid)) issues.push({ path: `consent.${key}.${id}`, message: `expected a list of ${what}` })
    }
  }
  map('tcfPurposes', (n) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 11, 'TCF purpose numbers (1–11)')
  map('googleConsentMode', (k) => typeof k == 'string' && GOOGLE_KEYS.includes(k), GOOGLE_KEYS.join(', '))
  return issues
}

/** The Google Consent Mode v2 keys. */
export const GOOGLE_KEYS = ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage']

/**
 * The components that read Google Consent Mode (their deliveries wait for the bridge and carry its
 * state): Zaraz's Google tools, Floodlight, and Microsoft's UET (`bing`, whose own Consent Mode has
 * the same `ad_storage`).
 */
export const GOOGLE_COMPONENTS = ['google-analytics-4', 'google-analytics', 'google-ads', 'floodlight', 'bing']

/** What a purpose is for, guessed from its id and names, for the default bridge mappings. */
export function purposeKind(p: Purpose): 'ads' | 'analytics' | '' {
  const s = (p.id + ' ' + Object.values(p.name).join(' ')).toLowerCase()
  if (/advert|marketing|\bads?\b|targeting|werbung|publicit|pubblicit/.test(s)) return 'ads'
  if (/analytic|statisti|measure|performance/.test(s)) return 'analytics'
  return ''
}
