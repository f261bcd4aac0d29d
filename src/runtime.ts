import type { TrackResult, Zaraz } from './types/zaraz'
import type { TrackedEvent } from './types/event'
import type { ManagedComponent } from './types/mc'
import type { ChunkLoader, Env } from './platform/env'
import type { UAParserFn } from './context/user-agent'
import type { Transport } from './transport/transport'
import type { Model } from './config/model'
import { compileConfig, type CompileOptions, type CompileResult } from './config/compile'
import { linkConfig, type CompiledConfig } from './config/link'
import type * as MessagesModule from './config/messages'
import type { ConfigIssue } from './types/config'
import { createValueStore } from './facade/store'
import { createFacade } from './facade/zaraz'
import { PREFIX, why } from './lib/warn'
import { watchHistory } from './facade/history'
import { createBus } from './bus/bus'
import { parseUserAgent, type UserAgentInfo } from './context/user-agent'
import { createConsent } from './consent/index'
import { createHost, type ToolModule } from './tools/host/host'
import { createClientKV } from './tools/host/client-kv'
import { createCookieJar } from './tools/host/cookie-jar'
import { createTransport } from './transport/transport'
import { debugEnabled } from './debug/mode'
import { isPlainObject } from './lib/object'
import { createPipeline, createScopeFactory } from './pipeline'
import type { DebugRecord, DebugRecorder } from './debug/records'
import type * as DebugModule from './debug/index'
import { pageSnapshot } from './context/page'
import { PAGE_RULE_EVENT } from './router/triggers'
import type * as PageRulesModule from './page-rules/index'
import { bridgeDataLayer } from './facade/data-layer'
import { CONFIG_COMPILER, DATA_LAYER, DEBUG_MODE, HISTORY_CHANGE, PAGE_RULES } from './build/flags'

export interface RuntimeOptions {
  config: unknown
  /** The config compiled at build time (a site build, whose constants leave the compiler out: src/build/flags.ts). */
  compiled?: CompiledConfig
  env: Env
  /** Components by name, for config entries whose `component` is that name. */
  tools?: Record<string, ManagedComponent>
  /** Built-in tools, loaded only when the config names them. */
  builtIns?: Record<string, () => Promise<ToolModule>>
  /**
   * Loads what the core leaves out, only when the config needs it: `ua` (ua-parser-js),
   * `expressions` (templates beyond plain paths), `autoescape` (values written into markup), `page-rules` (click, form, timer, scroll,
   * visibility and variable triggers).
   */
  load?: ChunkLoader
  /** The page's CSP nonce, carried by every script the runtime inserts. */
  nonce?: string
  /** How long `track()` waits for one tool before resolving without it (default 5000 ms). */
  toolTimeoutMs?: number
  transport?: Transport
  /** Send the first `Pageview` now (default true). */
  pageview?: boolean
  /** Receives a debug record for every event, debug mode or not (tests, the testing helpers). */
  onDebugRecord?: (record: DebugRecord) => void
  /**
   * Resolves in a later task: start-up then gives the page a turn before compiling the config,
   * before starting the tools and before the first dispatch (the script-tag build passes
   * `yielder(window)`; without it start-up runs in microtasks).
   */
  yield?: () => Promise<void>
  /** Resolves after the page's next paint: the consent modal opens then (the script-tag build passes `afterPaint(window)`; without it, at once). */
  afterPaint?: () => Promise<void>
}

/**
 * Boots tagrelay: the facade and the bus exist at once, so the page can call right away; the
 * config is compiled (after loading the expression engine when it needs one) and the pipeline
 * built; events wait in the bus until then. With an invalid config the runtime is inert: the API
 * answers, nothing is sent.
 */
export function createRuntime(o: RuntimeOptions): Zaraz {
  const { env } = o
  const log = env.console
  const store = createValueStore(env.localStorage, env.sessionStorage)
  const cfg = isPlainObject(o.config) ? o.config : {}
  // (The build-time constants of src/build/flags.ts leave out what a site build's config cannot reach.)
  const debug = DEBUG_MODE && debugEnabled(env.document, cfg.debugKey)
  const later = (fn: () => void) => env.clock.setTimeout(fn, 0)
  const registered: Array<[string, ManagedComponent]> = Object.entries(o.tools ?? {})
  // Debug records: kept in debug mode (for the panel and the console) or when a test asks for them.
  let recorder: DebugRecorder | undefined
  let debugging: typeof DebugModule | undefined
  // The host's, the transport's and the consent gate's notes are ids until the debugger's words are here (debug mode).
  const words = (m: string) => debugging?.describeNote(m) ?? m
  // The recorder puts them in words and, in debug mode, says them (see attachDebugger); should the
  // debugger file not load in debug mode, the console gets the ids.
  const note = (tool: string, m: string, eventId?: string) => (recorder ? recorder.note(eventId, tool, m) : debug && log.info(PREFIX, `tool "${tool}": ${m}`))
  /** Loads a file the core leaves out, then `use`s it; a failure is one console warning. */
  const chunk = <T>(name: string, use: (m: T) => unknown, what: string) =>
    // (A file that does not load, or one that cannot be used: another version of it, cached.)
    o.load?.(name)
      .then((m) => {
        use(m as T)
      })
      .catch((e) => log.warn(PREFIX, `could not load ${what}:`, e))
  // Consent exists at once (the page may call the Consent API before the config is compiled).
  const consent = createConsent({
    config: o.config,
    env,
    load: o.load,
    nonce: o.nonce,
    note,
    words,
    stored: store.snapshot(),
    afterPaint: o.afterPaint,
  })
  store.onChange(consent.observe)

  let handle: ((e: TrackedEvent) => Promise<TrackResult>) | undefined
  let register = (name: string, c: ManagedComponent): void => {
    registered.push([name, c])
  }

  const report = ({ errors }: CompileResult, messages?: Pick<typeof MessagesModule, 'formatIssue'>) => {
    // Problems are ids until their words are loaded (the debugger has them; else a chunk of their own).
    const format = messages?.formatIssue ?? ((i: ConfigIssue) => (i.path && i.path + ': ') + i.message)
    if (errors.length) log.error(PREFIX, 'invalid config; tagrelay stays inert:\n' + errors.map(format).join('\n'))
    // Warnings (they change nothing), records and the panel: all in the debugger file.
    recorder = debugging?.attachDebugger(o, errors, debug)
  }

  const start = (model: Model): Promise<unknown> => {
    const gate = consent.gate
    // Tools' storage, also read by templates as `system.clientKV`.
    const kv = createClientKV(env.clock, env.localStorage, env.sessionStorage, createCookieJar(env.document, model.cookieDomain))
    const sender = o.transport ?? createTransport(env, debug ? (m) => log.info(PREFIX, words(m)) : undefined, o.load, gate.check)
    const transport = recorder?.watch(sender) ?? sender
    // Requests held for consent are looked at again when choices change.
    gate.changed = transport.recheck
    const host = createHost({
      env,
      transport,
      clientKV: kv,
      privacy: model.privacy,
      nonce: o.nonce,
      builtIns: o.builtIns ?? {},
      load: o.load,
      timeoutMs: o.toolTimeoutMs ?? 5000,
      yield: o.yield,
      note,
      consent: gate.check,
      pass: (d) => gate.pass(d, deliver),
    })
    // A delivery the consent gate held and releases later is said in its debug line when it happens.
    const deliver = recorder?.late(host.deliver) ?? host.deliver
    for (const [name, c] of registered) host.register(name, c)
    register = host.register

    // The parsed user agent is the same for every event: parse once, and only when a template can read it.
    const hideUA = model.privacy.hideUserAgent
    let userAgent: UserAgentInfo = parseUserAgent(hideUA ? '' : env.window?.navigator?.userAgent ?? '', undefined)
    const ua = () => userAgent

    // Tool settings may hold templates: resolved once, against the page as it is when tools start.
    const doc = env.document
    // (Only when some setting has a hole: building a scope reads the viewport, which costs a layout.)
    if (model.tools.some((t) => JSON.stringify(t.settings).includes('{{'))) {
      const [scope] = createScopeFactory(model, env, gate, ua, kv)(
        { id: '', name: '', json: '{}', setValues: store.snapshot(), ecommerce: false, time: env.clock.now(), page: pageSnapshot(doc, doc?.referrer ?? '') },
        {},
      )
      // (The compiled model gives every tool one.)
      for (const tool of model.tools) tool.settings = tool.settingsTemplate!(scope) as Record<string, unknown>
    }
    host.prepare(model.tools)
    // Page rules (click, form, timer… triggers) are armed once loaded, and re-armed for each SPA page.
    let rearm: (() => void) | undefined
    if (PAGE_RULES && model.pageRules.length && o.load && env.window && doc) {
      const ctx: PageRulesModule.PageRuleContext = {
        window: env.window,
        document: doc,
        clock: env.clock,
        fire: (trigger, props) => zaraz.track(PAGE_RULE_EVENT, { ...props, __zarazClientTriggerId: trigger }),
        onSet: store.onChange,
        error: (m) => log.error(PREFIX, 'invalid page rule:', m),
      }
      chunk<typeof PageRulesModule>('page-rules', (m) => (rearm = m.startPageRules(model.pageRules, ctx)), 'the page rules (click, form, timer… triggers)')
    }
    const pipeline = createPipeline(model, env, gate, ua, kv, deliver, recorder)
    // Every Pageview after the first is an SPA navigation: the host sends tools `historyChange`,
    // and page rules start again for the new page.
    // Page rules belong to the page they were armed on: a pageview for another URL re-arms them.
    let armedOn = doc?.location?.href
    handle = (e) => {
      if (e.name == 'Pageview') {
        host.pageview(e)
        if (e.page.href != armedOn) {
          armedOn = e.page.href
          rearm?.()
        }
      }
      return pipeline(e)
    }
    // Events wait for the user-agent parser when the config needs it (the core leaves it out).
    return Promise.resolve(model.needsUserAgent && !hideUA && chunk<UAParserFn>('ua', (parse) => (userAgent = parseUserAgent(userAgent.ua, parse)), 'the user-agent parser; user-agent fields stay empty'))
  }

  /** Runs `fn` after the page had a turn (with `o.yield`), else now. */
  const step = <T>(fn: () => T | Promise<T>): Promise<T> => (o.yield ? o.yield().then(fn) : Promise.resolve(fn()))

  const boot = (result: CompileResult): Promise<unknown> => {
    const model = result.model
    if (model) {
      report(result, debugging)
      return step(() => start(model))
    }
    // (A site build's config was checked when it was built: only a chunk that failed to load is reported, in ids.)
    return (debugging || !o.load || !CONFIG_COMPILER ? Promise.resolve(debugging) : o.load('config-messages').catch(() => undefined)).then((m) =>
      report(result, m as typeof MessagesModule | undefined),
    )
  }

  // (A site build's config was compiled when it was built: here it is only linked.)
  const compile = (options?: CompileOptions) => (CONFIG_COMPILER ? compileConfig(o.config, options) : linkConfig(o.compiled!, options))
  // Compiled again with the chunks its templates need, each exporting compile options: the
  // expression engine (templates beyond paths), the escaper (values written into markup or URLs).
  const compileAndBoot = () => {
    const first = compile()
    return (first.needsExpressions || first.needsEscaper) && o.load
      ? Promise.all([first.needsExpressions && o.load('expressions'), first.needsEscaper && o.load('autoescape')]).then(
          // (`false` for the one not needed adds nothing.)
          (chunks) => boot(compile(Object.assign({}, ...(chunks as CompileOptions[])))),
          (e) => boot({ model: undefined, needsExpressions: false, errors: [{ path: '', message: `could not load the template chunks: ${why(e)}` }] }),
        )
      : boot(first)
  }
  // Debug records and the panel are their own chunk: in debug mode (or for onDebugRecord) the
  // runtime starts once it is here, so that the first event is recorded too.
  // The first dispatch waits for one more turn of the page, after the tools started.
  const started =
    DEBUG_MODE && (debug || o.onDebugRecord) && o.load
      ? chunk<typeof DebugModule>('debugger', (m) => (debugging = m), 'the debugger')!.then(compileAndBoot)
      : step(compileAndBoot)
  const ready = o.yield ? started.then(o.yield) : started

  const idle = { return: {} }
  const publish = createBus(
    (e: TrackedEvent) => (handle && !e.cancelled ? handle(e) : Promise.resolve(idle)),
    ready,
    queueMicrotask,
    later,
  )
  const [zaraz, navigate] = createFacade(env, store, publish, (n, c) => register(n, c), consent.api, cfg.debugKey)
  // Watched from the start (not once the config is compiled), so no early navigation is missed.
  if (HISTORY_CHANGE && cfg.historyChange === true && env.window) watchHistory(env.window, later, navigate)
  // GTM's data layer, read from the start too: a push is a set and a track at once, so pushes and
  // track() calls keep their order. (A file loaded for it would read the pushes made meanwhile only
  // once it arrived, after track() calls made after them.) After this task, so that the entries
  // pushed before tagrelay started are replayed after the loader stub's calls and the first pageview.
  const w = env.window
  if (DATA_LAYER && cfg.dataLayer === true && w) queueMicrotask(() => bridgeDataLayer(w, zaraz))
  if (o.pageview !== false) zaraz.track('Pageview').catch(() => undefined)
  return zaraz
}
