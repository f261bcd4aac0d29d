/**
 * The npm entry: `createZaraz()` for single-page apps and bundlers. Built-in tools and the
 * user-agent parser are dynamic imports, so a bundler splits them out of the app's main chunk.
 */
import type { Zaraz } from '../types/zaraz'
import type { ManagedComponent } from '../types/mc'
import type { ToolModule } from '../tools/host/host'
import type { BuiltInTool } from '../tools/built-ins'
import type { UAParserFn } from '../context/user-agent'
import { createRuntime, type RuntimeOptions } from '../runtime'
import { browserEnv, type Env } from '../platform/env'
import { claimPage } from './owner'

export interface CreateZarazOptions {
  /** The Zaraz configuration JSON. */
  config: unknown
  /** Extra components by name, for config entries whose `component` is that name. */
  tools?: Record<string, ManagedComponent>
  /** Also set `window.zaraz`. */
  install?: boolean
  /** Send the first `Pageview` right away (default true). */
  pageview?: boolean
  /** How long `track()` waits for one tool (default 5000 ms). */
  toolTimeoutMs?: number
  /** Replace parts of the browser world (storage, clock, fetch...), e.g. in tests. */
  env?: Partial<Env>
  /** Replace the transport, e.g. with `createRecordingTransport()` from `tagrelay/testing`. */
  transport?: RuntimeOptions['transport']
  /** The page's CSP nonce; found on the page's scripts when left out. */
  nonce?: string
  /** Receives a debug record for every event (which tools got it, why others did not, their requests). */
  onDebugRecord?: RuntimeOptions['onDebugRecord']
}

/** Every built-in (typed by the list, so none is left out), each its own chunk in the app's bundle. */
const builtIns: Record<BuiltInTool, () => Promise<ToolModule>> = {
  'http-request': () => import('../tools/http-request'),
  'custom-image': () => import('../tools/custom-image'),
  'custom-html': () => import('../tools/custom-html'),
  'google-analytics-4': () => import('../tools/google-analytics-4'),
  'facebook-pixel': () => import('../tools/facebook-pixel'),
  'google-ads': () => import('../tools/google-ads'),
  amplitude: () => import('../tools/amplitude'),
  bing: () => import('../tools/bing'),
  branch: () => import('../tools/branch'),
  floodlight: () => import('../tools/floodlight'),
  'google-maps-RWG': () => import('../tools/google-maps-RWG'),
  hubspot: () => import('../tools/hubspot'),
  iHire: () => import('../tools/iHire'),
  'impact-radius': () => import('../tools/impact-radius'),
  indeed: () => import('../tools/indeed'),
  linkedin: () => import('../tools/linkedin'),
  mixpanel: () => import('../tools/mixpanel'),
  outbrain: () => import('../tools/outbrain'),
  pinterest: () => import('../tools/pinterest'),
  podsights: () => import('../tools/podsights'),
  quora: () => import('../tools/quora'),
  reddit: () => import('../tools/reddit'),
  segment: () => import('../tools/segment'),
  snapchat: () => import('../tools/snapchat'),
  snowplow: () => import('../tools/snowplow'),
  taboola: () => import('../tools/taboola'),
  tatari: () => import('../tools/tatari'),
  tiktok: () => import('../tools/tiktok'),
  twitter: () => import('../tools/twitter'),
  upward: () => import('../tools/upward'),
  ziprecruiter: () => import('../tools/ziprecruiter'),
}

/** What the script-tag build loads as separate files, as dynamic imports. */
const chunks: Record<string, () => Promise<unknown>> = {
  ua: () =>
    import('ua-parser-js').then((m) => {
      const mod = m as unknown as { default?: unknown; UAParser?: unknown }
      return (mod.UAParser ?? mod.default ?? mod) as UAParserFn
    }),
  // (Each exports the compile option it provides, as its script-tag file does.)
  expressions: () => import('../expressions/index').then((m) => ({ expression: m.compileExpression })),
  autoescape: () => import('../autoescape/index').then((m) => ({ escape: m.compileMarkup })),
  'page-rules': () => import('../page-rules/index'),
  debugger: () => import('../debug/index'),
  'config-messages': () => import('../config/messages'),
  'consent-modal': () => import('../consent/modal'),
  'consent-cmp': () => import('../consent/cmp'),
  'client-events': () => import('../tools/host/client-events'),
  outbox: () => import('../transport/restore'),
}
const load = (name: string) => (chunks[name] ? chunks[name]() : Promise.reject(new Error(`no chunk "${name}"`)))

const pageNonce = (doc: Document | undefined) => {
  const s = doc?.querySelector<HTMLScriptElement>('script[nonce]')
  return s ? s.nonce || s.getAttribute('nonce') || undefined : undefined
}

export function createZaraz(options: CreateZarazOptions): Zaraz {
  const env = browserEnv(options?.env)
  const w = env.window as (Window & { zaraz?: Zaraz }) | undefined
  // One runtime per page: with `install`, a runtime already there (a script-tag copy, an earlier
  // createZaraz) stays the only one, and its `window.zaraz` is what this returns (README, npm).
  if (options?.install && w && !claimPage(w)) return w.zaraz!
  const zaraz = createRuntime({
    config: options?.config,
    env,
    builtIns,
    load,
    nonce: options?.nonce ?? pageNonce(env.document),
    toolTimeoutMs: options?.toolTimeoutMs,
    transport: options?.transport,
    pageview: options?.pageview,
    onDebugRecord: options?.onDebugRecord,
  })
  // Checked as `registerTool` checks them (before any event is handled): a value that is not a
  // component, say a module namespace instead of its default export, is one warning, not silence.
  for (const [name, component] of Object.entries(options?.tools ?? {})) zaraz.registerTool(name, component)
  if (options?.install && w) w.zaraz = zaraz
  return zaraz
}
