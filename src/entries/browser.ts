/**
 * The script-tag bundle: reads the config, installs `window.zaraz`, replays what the loader stub
 * queued, and loads the user-agent parser and built-in tools as separate files only when the
 * config needs them.
 */
import type { Zaraz } from '../types/zaraz'
import { createRuntime } from '../runtime'
import { browserEnv } from '../platform/env'
import { scriptChunkLoader } from '../platform/chunks'
import { BUILT_IN_TOOLS } from '../tools/built-ins'
import { readConfig, type Source } from './config-source'
import { replay, type QueuedCall } from './replay'
import { PREFIX } from '../lib/warn'
import { claimPage } from './owner'
import type { ToolModule } from '../tools/host/host'
import type * as MessagesModule from '../config/messages'

type Stub = Partial<Zaraz> & { q?: QueuedCall[] | { push(c: QueuedCall): void }; st?: boolean }
type Page = Window & { zaraz?: Stub | Zaraz; zarazConfig?: unknown }

const w = window as Page

/** Everything the script tag does, when this copy is the page's one runtime (see `claimPage`). */
function boot() {
  const script = document.currentScript as HTMLScriptElement | null
  const base = (script?.src || '').replace(/[^/]*$/, '')
  // (Every browser that runs ES2021 has the `nonce` property, which keeps the value the attribute hides.)
  const nonce = script?.nonce || undefined
  const load = scriptChunkLoader(w, base, nonce)

  const builtIns: Record<string, () => Promise<ToolModule>> = {}
  for (const name of BUILT_IN_TOOLS) builtIns[name] = () => load('tool:' + name) as Promise<ToolModule>

  const start = ({ error, config }: Source) => {
    // Its words are in the config messages, which the runtime fetches for the missing config anyway
    // (this asks first, so it is said first); should they not load, the ids are said.
    if (error)
      load('config-messages').then(
        (m) => console.error(PREFIX, (m as typeof MessagesModule).sourceError(error)),
        () => console.error(PREFIX, ...error),
      )
    const stub = w.zaraz as Stub | undefined
    const zaraz = createRuntime({
      config,
      env: browserEnv(undefined, stub?.st),
      builtIns,
      load,
      nonce,
      pageview: false,
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

  const source = readConfig(w, script)
  if (source instanceof Promise) source.then(start)
  else start(source)
}

// A second copy touches nothing: not `window.zaraz`, not the stub's queue, not the chunk registry.
if (claimPage(w)) boot()
