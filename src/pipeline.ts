import type { TrackResult } from './types/zaraz'
import type { TrackedEvent } from './types/event'
import type { Env } from './platform/env'
import type { Model } from './config/model'
import type { TemplateScope } from './router/template'
import type { ConsentGate } from './consent/gate'
import type { ToolHost } from './tools/host/host'
import type { UserAgentInfo } from './context/user-agent'
import type { ClientKV } from './tools/host/client-kv'
import { buildSystem, readDevice, type SystemProperties } from './context/system'
import { privateUrls } from './context/privacy'
import { route } from './router/router'
import type { DebugRecorder } from './debug/records'

/**
 * What templates read for one event: `client` (set values < call properties, plus the name),
 * `system` (built only when read) and `variables` (resolved only when read); with the device and
 * the URLs after the privacy settings it was built from: `[scope, device, urls]`.
 */
export function createScopeFactory(model: Model, env: Env, gate: ConsentGate, userAgent: () => UserAgentInfo, kv: ClientKV) {
  return (event: TrackedEvent, properties: Record<string, unknown>) => {
    const client: Record<string, unknown> = { ...event.setValues, ...properties, __zarazTrack: event.name }
    if (event.ecommerce) client.__zarazEcommerce = true
    const device = readDevice(env.window)
    if (model.privacy.hideUserAgent) device.userAgent = ''
    const urls = privateUrls(event.page.href, event.page.referrer, model.privacy)
    let system: SystemProperties | undefined
    let variables: Record<string, unknown> | undefined
    const scope: TemplateScope = {
      client,
      get system() {
        return (system ??= buildSystem(event, urls, device, userAgent(), env.document, gate.choices(), env.random(), kv.all)) as unknown as Record<string, unknown>
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
    return [scope, device, urls] as const
  }
}

/**
 * One event through context → router → consent gate → tool host (`deliver`). Resolves once every tool the
 * event reaches has handled it, to `{ return: { [toolId]: value } }`. `userAgent`: the parsed user
 * agent (parsed once per page); `recorder`, set in debug mode (or by a test), records why each tool
 * did or did not get each event.
 */
export function createPipeline(model: Model, env: Env, gate: ConsentGate, userAgent: () => UserAgentInfo, kv: ClientKV, deliver: ToolHost['deliver'], recorder?: DebugRecorder) {
  const scopeFor = createScopeFactory(model, env, gate, userAgent, kv)
  return (event: TrackedEvent): Promise<TrackResult> => {
    const { json } = event
    const properties = typeof json == 'string' ? (JSON.parse(json) as Record<string, unknown>) : json
    const [scope, device, urls] = scopeFor(event, properties)
    const input = { name: event.name, ecommerce: event.ecommerce, properties, scope }
    const fired = new Map<string, boolean>()
    const dispatches = route(model, input, fired)
    const facts = { eventId: event.id, time: event.time, url: urls.url ?? new URL('about:blank'), title: event.page.title, referer: urls.referrer, device }
    const done = recorder?.begin(model, event, input, dispatches, fired)
    // The gate says in the debug line why it did not send (held, refused).
    const results = dispatches.map((d) => Promise.resolve(gate.pass({ ...d, facts }, deliver)).then((v) => [d.tool.id, v] as const))
    recorder?.changed()
    return Promise.all(results).then((pairs) => {
      done?.()
      return { return: Object.fromEntries(pairs.filter((p) => p[1] !== undefined)) }
    })
  }
}
