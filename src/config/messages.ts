import type { ConfigIssue } from '../types/config'
import { PAGE_RULE_KINDS } from '../router/page-rule-settings'
import { OPERATORS } from '../router/triggers'

/**
 * The words of config problems. The core reports a problem as `#id argument` (its path is exact
 * already), and the words are looked up here only when someone reads them: `validateConfig`, the
 * debugger, or the runtime when a config is invalid (this module is then the `config-messages`
 * chunk). A message without `#` is already words (page-rule and expression checks).
 */
/** Why each server secret (src/config/secrets.ts) is refused: by how its name ends, lower-cased without `_` and `-`. */
const SECRETS: Array<[string, string]> = [
  ['accesstoken', "a Conversions API access token is a server secret (Meta's Conversions API, TikTok's Events API, LinkedIn's, Snapchat's and Reddit's conversions APIs). The browser pixel needs only its id (`property` for Meta); send server events from your server"],
  ['conversiontoken', "a Pinterest Conversions API token is a server secret. The browser tag needs only the tag id; send server events from your server"],
  ['apisecret', 'a Measurement Protocol API secret (GA4) is a server secret. The browser tag needs only the measurement id (`tid`)'],
  ['secret', 'an app or OAuth client secret is a server secret'],
]

const byId = () => 'expected an object keyed by id'

const MESSAGES: Record<string, (arg: string) => string> = {
  notObject: (got) => `the config must be an object (the Zaraz configuration JSON), got ${got}`,
  // A section (`triggers`, `variables`, `tools`) or a field that is not an object: `#` and its key.
  triggers: byId,
  variables: byId,
  tools: byId,
  settings: () => 'expected an object',
  trigger: () => 'expected a trigger object',
  variable: () => 'expected a variable object { name, type, value }',
  triggerIds: () => 'expected an array of trigger ids',
  unknownTrigger: (id) => `unknown trigger ${id}`,
  tool: () => 'expected a tool object',
  component: () => 'expected the name of a component, e.g. "http-request"',
  actions: () => 'expected an object keyed by action id',
  automatedActions: () => 'expected { pageview?, track?, ecommerce? } with boolean values',
  automatedKey: () => 'expected pageview, track or ecommerce with a boolean value',
  action: () => 'expected an action object',
  actionType: () => 'expected the listener type, e.g. "pageview", "event" or "conversion"',
  data: () => 'expected an object of action fields',
  permissions: () => 'expected an array of permission names',
  defaultFields: () => 'expected an object of fields',
  // Whatever the component and wherever in the tool entry: every visitor can read a browser config.
  secret: (name) => `must not be in a browser config, whatever the tool: ${(SECRETS.find(([end]) => name.toLowerCase().replace(/[-_]/g, '').endsWith(end)) ?? SECRETS[3])[1]}; every visitor could read it and send data in your name`,
  secretVariable: (id) =>
    `reads the secret variable "${id}": secret variables only exist at Cloudflare's edge and must not reach a browser (every visitor could read them); send what needs it from your server`,
  pageRule: (action) => `unknown rule ${action}; expected a match rule or one of ${PAGE_RULE_KINDS.join(', ')}`,
  onePageRule: () => 'a trigger can hold one page rule (click, form, timer…); this one never fires',
  rule: () => 'a rule must be an object',
  match: () => 'expected a template string such as "{{ client.__zarazTrack }}"',
  operator: (op) => `unknown operator ${op}; expected one of ${OPERATORS.join(', ')}`,
  regex: (a) => `invalid regular expression ${a}`,
  rules: () => 'expected an array of rules',
  // `{{ x }}: ` and why: the expression engine's words, or `#root` / `#expr` from the core.
  hole: (a) => {
    const i = a.indexOf('}}: ') + 4
    const why = a.slice(i)
    const expr = `"${a.slice(2, i - 4).trim()}"`
    let words = why
    if (why == '#root') words = expr + ' must start with client., system. or variables.'
    if (why == '#expr') words = expr + ' is not a supported expression (paths like client.name are)'
    return `cannot evaluate ${a.slice(0, i)}${words}`
  },
}

/** The words of one message (see above). */
export function describe(message: string): string {
  if (message[0] != '#') return message
  const space = message.indexOf(' ')
  const id = space < 0 ? message.slice(1) : message.slice(1, space)
  const argument = space < 0 ? '' : message.slice(space + 1)
  return MESSAGES[id] ? MESSAGES[id](argument) : message
}

export const describeIssues = (issues: ConfigIssue[]): ConfigIssue[] => issues.map((i) => ({ path: i.path, message: describe(i.message) }))

export const formatIssue = (i: ConfigIssue) => (i.path ? `${i.path}: ${describe(i.message)}` : describe(i.message))

/** Why the script-tag build found no config (the ids of src/entries/config-source.ts). */
export function sourceError([kind, why, url]: [number, string?, string?]): string {
  if (kind == 1) return `<script id="zaraz-config"> is not valid JSON: ${why}`
  if (kind) return `could not load the config from data-config="${url}": ${why}`
  return 'no config found: set window.zarazConfig, add <script type="application/json" id="zaraz-config">, or give the script a data-config URL'
}
