/**
 * What a script tag does once this copy is the page's one runtime (see `claimPage`): the generic
 * bundle (`browser.ts`) and a site build (`site.ts`) differ only in where the config, the tools and
 * the lazily loaded files come from.
 */
import type { Zaraz } from '../types/zaraz'
import type { ToolModule } from '../tools/host/host'
import type * as MessagesModule from '../config/messages'
import type { ConfigSource, Source } from './config-source'
import { createRuntime, type RuntimeOptions } from '../runtime'
import { afterPaint, whenLong, yielder } from '../platform/yield'
import { browserEnv } from '../platform/env'
import { scriptChunkLoader } from '../platform/chunks'
import { replay, type QueuedCall } from './replay'
import { PREFIX } from '../lib/warn'
import { CONFIG_COMPILER } from '../build/flags'

/** The loader stub: its queue and its `tagrelay_st` cookie finding (wire format with the stub (snippet.ts): do not rename). */
type Stub = Partial<Zaraz> & { q?: QueuedCall[] | { push(c: QueuedCall): void }; st?: boolean }
type Page = Window & { zaraz?: Stub | Zaraz; zarazConfig?: unknown }

export interface ScriptTagOptions {
  /** Tools by component name, loaded when the config names them. */
  builtIns(load: (name: string) => Promise<unknown>): Record<string, () => Promise<ToolModule>>
  /** Where the config comes from. */
  source(w: Window, script: HTMLScriptElement | null): ConfigSource
  /** A lazily loaded file's URL, by chunk name; by default `<name>.min.js` next to the bundle. */
  fileOf?: (name: string) => string
  /** The config compiled at build time (a site build). */
  compiled?: RuntimeOptions['compiled']
}

export function bootScriptTag(w: Page, o: ScriptTagOptions) {
  const script = document.currentScript as HTMLScriptElement | null
  const base = (script?.src || '').replace(/[^/]*$/, '')
  // (Every browser that runs ES2021 has the `nonce` property, which keeps the value the attribute hides.)
  const nonce = script?.nonce || undefined
  const load = scriptChunkLoader(w, base, nonce, undefined, o.fileOf)
  const builtIns = o.builtIns(load)

  const start = ({ error, config }: Source) => {
    // Its words are in the config messages, which the runtime fetches for the missing config anyway
    // (this asks first, so it is said first); should they not load, the ids are said.
    if (CONFIG_COMPILER && error)
      load('config-messages').then(
        (m) => console.error(PREFIX, (m as typeof MessagesModule).sourceError(error)),
        () => console.error(PREFIX, ...error),
      )
    const stub = w.zaraz as Stub | undefined
    const zaraz = createRuntime({
      config,
      compiled: o.compiled,
      env: browserEnv(undefined, stub?.st),
      builtIns,
      load,
      nonce,
      pageview: false,
      // Start-up in steps, a task of its own whenever the work so far took long: no long task on a
      // slow phone, and a fast device is not kept waiting for turns it does not need (docs/performance.md).
      yield: whenLong(yielder(w), () => performance.now()),
      afterPaint: afterPaint(w),
    })
    w.zaraz = zaraz
    if (stub) {
      const queued = stub.q
      // Code that kept a reference to the stub keeps working: its calls now go straight through.
      stub.q = { push: (c: QueuedCall) => replay([c], zaraz) }
      replay(queued, zaraz)
      // A kept reference to the stub's `zaraz.consent` becomes the real API (APIReady included).
      // (Copying them onto the same object, were it that, would change nothing.)
      if (stub.consent) Object.defineProperties(stub.consent, Object.getOwnPropertyDescriptors(zaraz.consent))
    }
    // After the replay, so that values, consent and tools set up in <head> apply to the first pageview.
    zaraz.track('Pageview').catch(() => undefined)
  }

  const source = o.source(w, script)
  if (source instanceof Promise) source.then(start)
  else start(source)
}
