import type { TrackResult, Zaraz } from './types/zaraz'
import type { TrackedEvent } from './types/event'
import type { ManagedComponent } from './types/mc'
import type { Env } from './platform/env'
import type { UAParserFn } from './context/user-agent'
import type { Decision } from './router/router'
import type { TemplateScope } from './router/template'
import type { Transport } from './transport/transport'
import { compileConfig, formatIssue } from './config/compile'
import { createValueStore } from './facade/store'
import { createFacade } from './facade/zaraz'
import { watchHistory } from './facade/history'
import { createBus } from './bus/bus'
import { buildSystem, readDevice, type SystemProperties } from './context/system'
import { parseUserAgent, type UserAgentInfo } from './context/user-agent'
import { privateUrls } from './context/privacy'
import { route } from './router/router'
import { createConsentGate } from './consent/gate'
import { createHost, type ToolModule } from './tools/host/host'
import { createClientKV } from './tools/host/client-kv'
import { createCookieJar } from './tools/host/cookie-jar'
import { createTransport } from './transport/transport'
import { debugEnabled } from './debug/mode'
import { idFactory } from './lib/ids'
import { isPlainObject } from './lib/object'

export interface RuntimeOptions {
  config: unknown
  env: Env
  /** Components by name, for config entries whose `component` is that name. */
  tools?: Record<string, ManagedComponent>
  /** Built-in tools, loaded only when the config names them. */
  builtIns?: Record<string, () => Promise<ToolModule>>
  /** Loads ua-parser-js, only when the config reads the parsed user agent. */
  loadUserAgentParser?: () => Promise<UAParserFn>
  /** The page's CSP nonce, carried by every script the runtime inserts. */
  nonce?: string
  /** How long `track()` waits for one tool before resolving without it (default 5000 ms). */
  toolTimeoutMs?: number
  transport?: Transport
  /** Send the first `Pageview` now (default true). */
  pageview?: boolean
}

const PREFIX = '[tagrelay]'

/**
 * Wires the one-way flow: facade → bus → context → router → consent gate → tool host → transport.
 * With an invalid config the runtime is inert: the API answers, nothing is sent.
 */
export function createRuntime(o: RuntimeOptions): Zaraz {
  const { env } = o
  const log = env.console
  const store = createValueStore(env.localStorage, env.sessionStorage)
  const { model, errors, warnings } = compileConfig(o.config)
  const debug = debugEnabled(env.document, model?.debugKey ?? (isPlainObject(o.config) ? (o.config.debugKey as string) : undefined))
  if (errors.length) log.error(PREFIX, 'invalid config; tagrelay stays inert:\n' + errors.map(formatIssue).join('\n'))
  if (debug && warnings.length) log.warn(PREFIX, 'config warnings:\n' + warnings.map(formatIssue).join('\n'))

  const idle = (): Promise<TrackResult> => Promise.resolve({ return: {} })

  if (!model) return createFacade({ env, store, newId: idFactory(env.random), publish: idle, register: () => undefined })

  const transport = o.transport ?? createTransport(env)
  const gate = createConsentGate(isPlainObject(o.config) ? (o.config.consent as Record<string, unknown>) : undefined, env.document)
  const note = debug ? (tool: string, m: string) => log.info(PREFIX, `tool "${tool}": ${m}`) : () => undefined
  const host = createHost({
    env,
    transport,
    kv: createClientKV(env.clock, env.localStorage, env.sessionStorage, createCookieJar(env.document, model.cookieDomain)),
    privacy: model.privacy,
    nonce: o.nonce,
    builtIns: o.builtIns ?? {},
    timeoutMs: o.toolTimeoutMs ?? 5000,
    note,
  })
  for (const [name, c] of Object.entries(o.tools ?? {})) host.register(name, c)
  host.prepare(model.tools)

  // The parsed user agent is the same for every event: parse once, and only when a template can read it.
  const hideUA = model.privacy.hideUserAgent
  let userAgent: UserAgentInfo = parseUserAgent(hideUA ? '' : readDevice(env.window).userAgent, undefined)
  const ready =
    model.needsUserAgent && !hideUA && o.loadUserAgentParser
      ? o.loadUserAgentParser().then(
          (parse) => void (userAgent = parseUserAgent(userAgent.ua, parse)),
          (e) => log.warn(PREFIX, 'could not load the user-agent parser; user-agent fields stay empty:', e),
        )
      : Promise.resolve()

  const handle = (event: TrackedEvent): Promise<TrackResult> => {
    // Every Pageview after the first is an SPA navigation: the host sends tools `historyChange`.
    if (event.name == 'Pageview') host.pageview(event)
    const properties = JSON.parse(event.json) as Record<string, unknown>
    const client: Record<string, unknown> = { ...event.setValues, ...properties, __zarazTrack: event.name }
    if (event.ecommerce) client.__zarazEcommerce = true
    const device = readDevice(env.window)
    if (hideUA) device.userAgent = ''
    let system: SystemProperties | undefined
    let variables: Record<string, unknown> | undefined
    const scope: TemplateScope = {
      client,
      get system() {
        return (system ??= buildSystem({
          event,
          privacy: model.privacy,
          device,
          userAgent,
          document: env.document,
          consent: gate.choices(),
          random: env.random(),
        })) as unknown as Record<string, unknown>
      },
      get variables() {
        if (!variables) {
          variables = {}
          const inner = { client, variables: {}, get system() { return scope.system } }
          for (const [id, t] of Object.entries(model.variables)) variables[id] = t(inner)
        }
        return variables
      },
    }
    const explain: Decision[] | undefined = debug ? [] : undefined
    const dispatches = route(model, { name: event.name, ecommerce: event.ecommerce, properties, scope }, explain)
    const { url, referrer } = privateUrls(event.page.href, event.page.referrer, model.privacy)
    const facts = { eventId: event.id, time: event.time, url: url ?? new URL('about:blank'), title: event.page.title, referer: referrer, device }
    const results = dispatches.map((d) => {
      const refused = gate.check(d.tool)
      if (refused) {
        explain?.push({ tool: d.tool.id, action: d.actionId, sent: false, reason: refused })
        return Promise.resolve([d.tool.id, undefined] as const)
      }
      return host.deliver({ tool: d.tool, type: d.type, name: d.name, payload: d.payload, facts }).then((v) => [d.tool.id, v] as const)
    })
    if (explain) log.info(PREFIX, `event "${event.name}"`, { properties, decisions: explain })
    return Promise.all(results).then((pairs) => {
      const out: Record<string, unknown> = {}
      for (const [id, v] of pairs) if (v !== undefined) out[id] = v
      return { return: out }
    })
  }

  const bus = createBus(handle, ready, (fn) => queueMicrotask(fn), (fn) => env.clock.setTimeout(fn, 0))
  const zaraz = createFacade({ env, store, newId: idFactory(env.random), publish: bus.publish, register: host.register })
  if (model.historyChange && env.window) watchHistory(env.window, (fn) => env.clock.setTimeout(fn, 0), () => void zaraz.spaPageview().catch(() => undefined))
  if (o.pageview !== false) zaraz.track('Pageview').catch(() => undefined)
  return zaraz
}
