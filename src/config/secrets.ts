import type { ConfigIssue } from '../types/config'
import { within, type Report } from '../router/template'
import { isPlainObject } from '../lib/object'

/**
 * A server secret's setting name, in any case, with or without `_` or `-` (`accessToken`,
 * `access_token` and `Access-Token` are one): an access token (Meta's Conversions API, TikTok's
 * Events API, LinkedIn's, Snapchat's and Reddit's conversions APIs), a conversion token
 * (Pinterest's Conversions API), an API secret (GA4's Measurement Protocol), an app or OAuth
 * client secret. The words of why are in src/config/messages.ts, outside the core.
 */
const SECRET_NAME = /^(api|app|client)[-_]?secret$|(access|conversion)[-_]?token$/i

/**
 * Reports, at its path, every non-empty server secret in a tool entry (settings, default fields,
 * actions, neoEvents, at any depth; disabled or not), whatever its component: a browser config is
 * read by every visitor.
 */
export function findSecrets(v: unknown, report: Report): void {
  if (v && typeof v == 'object')
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k]
      if (x && SECRET_NAME.test(k)) report(k, '#secret ' + k)
      else findSecrets(x, within(report, Array.isArray(v) ? `[${k}]` : k))
    }
}

/** `variables.<id>` inside a `{{ }}` hole (a path, or a step of an expression). */
const VARIABLE_READ = /(?<![\w$.])variables\s*\.\s*(?:`([^`]*)`|([A-Za-z_$][\w$]*(?:-[A-Za-z_$][\w$]*)*))/g

/**
 * Templates in tool entries that read a `secret` variable. For `validateConfig` only (errors
 * there): the runtime makes such a variable empty, so nothing of it is sent; but a secret is meant
 * for a server, and a browser config that relies on one is a mistake to fix before it is shipped.
 */
export function secretVariableReads(config: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = []
  if (!isPlainObject(config) || !isPlainObject(config.variables) || !isPlainObject(config.tools)) return out
  const variables = config.variables
  const isSecret = (id: string) => Object.prototype.hasOwnProperty.call(variables, id) && isPlainObject(variables[id]) && variables[id].type == 'secret'
  const walk = (v: unknown, path: string): void => {
    if (typeof v == 'string') {
      for (const [, hole] of v.matchAll(/\{\{([\s\S]*?)\}\}/g))
        for (const m of hole.matchAll(VARIABLE_READ)) if (isSecret(m[1] ?? m[2])) out.push({ path, message: '#secretVariable ' + (m[1] ?? m[2]) })
    } else if (v && typeof v == 'object')
      for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`)
  }
  for (const id of Object.keys(config.tools)) walk(config.tools[id], 'tools.' + id)
  return out
}
