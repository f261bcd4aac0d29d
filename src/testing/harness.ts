import type { Zaraz } from '../types/zaraz'
import type { DebugRecord } from '../debug/records'
import { createZaraz, type CreateZarazOptions } from '../entries/npm'
import { createRecordingTransport, type RecordedRequest, type RecordingTransport } from './recording-transport'
import { createFakeClock, type FakeClock } from './fake-clock'

export interface TestZaraz {
  zaraz: Zaraz
  /** Every request tools made, in order (nothing leaves the test). */
  requests: RecordedRequest[]
  transport: RecordingTransport
  /** A debug record per event: which tools got it, with what payload, and why the others did not. */
  records: DebugRecord[]
  clock: FakeClock
  /** Moves to `url` (history.pushState) and sends the SPA pageview, as a router would. */
  navigate(url: string): Promise<unknown>
  /** Moves the clock forward, running due timers (timer triggers, retries, tool timeouts). */
  advance(ms: number): void
  /**
   * Waits until the runtime is quiet: everything tracked so far was handled by its tools (tools
   * that load on first use included) and no new request or record appeared for a few turns.
   */
  settle(): Promise<void>
}

/**
 * A tagrelay runtime for testing a tracking plan: a recording transport, a fake clock, debug
 * records, and helpers to navigate and move time. Nothing is sent anywhere.
 *
 * ```ts
 * const t = createTestZaraz({ config })
 * await t.zaraz.ecommerce('Order Completed', { order_id: 'o1', total: 30 })
 * expect(t.requests[0].url).toContain('en=purchase')
 * ```
 */
export function createTestZaraz(options: Omit<CreateZarazOptions, 'transport'> & { transport?: RecordingTransport }): TestZaraz {
  const transport = options.transport ?? createRecordingTransport()
  const clock = (options.env?.clock as FakeClock | undefined) ?? createFakeClock()
  const records: DebugRecord[] = []
  const watchesHistory = isObject(options.config) && options.config.historyChange === true
  // The runtime's "after this task" timers (0 ms: SPA navigations, bus slices) are on the clock too.
  const flush = () => (clock as Partial<FakeClock>).advance?.(0)
  const zaraz = createZaraz({
    pageview: false,
    ...options,
    config: withProbe(options.config),
    transport,
    env: { random: seeded(1), ...options.env, clock },
    onDebugRecord: (r) => {
      if (r.name == SETTLE) return
      records.push(r)
      options.onDebugRecord?.(r)
    },
  })
  return {
    zaraz,
    requests: transport.requests,
    transport,
    records,
    clock,
    navigate(url) {
      history.pushState({}, '', url)
      // With `historyChange: true` the pushState is the pageview (sent once the router's task is
      // over: a 0 ms timer, which the fake clock runs without moving time); else the app sends it.
      if (!watchesHistory) return zaraz.spaPageview()
      flush()
      return zaraz.track(SETTLE)
    },
    advance: (ms) => clock.advance(ms),
    settle: () => settle(zaraz, flush, () => transport.requests.length + records.length, () => records.every((r) => r.done)),
  }
}

/** An internal event no tool gets: when it is handled, everything tracked before it was too. */
const SETTLE = '__zarazTestSettle'
const PROBE_TRIGGER = '__tagrelayTestSettle'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v == 'object' && v !== null && !Array.isArray(v)

/**
 * The config, plus a trigger for the settle probe that blocks it at every tool: a trigger that does
 * not look at the event name (a URL rule, say) fires for every track, the probe included. The
 * caller's object is left as it is; a config whose tools or triggers are not objects is passed on
 * unchanged, for the runtime to report.
 */
function withProbe(config: unknown): unknown {
  if (!isObject(config) || !(config.triggers === undefined || isObject(config.triggers)) || !(config.tools === undefined || isObject(config.tools))) return config
  const tools: Record<string, unknown> = {}
  for (const [id, tool] of Object.entries(config.tools ?? {}))
    tools[id] =
      isObject(tool) && (tool.blockingTriggers === undefined || Array.isArray(tool.blockingTriggers))
        ? { ...tool, blockingTriggers: [...((tool.blockingTriggers as unknown[]) ?? []), PROBE_TRIGGER] }
        : tool
  const probe = { loadRules: [{ match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: SETTLE }] }
  return { ...config, tools, triggers: { ...config.triggers, [PROBE_TRIGGER]: probe } }
}

/**
 * An internal event goes through the bus behind every earlier one; then every recorded event must
 * be done (its tools, loaded on first use, have handled it) and a few real turns bring nothing new.
 */
async function settle(zaraz: Zaraz, flush: () => void, activity: () => number, done: () => boolean): Promise<void> {
  let quiet = 0
  let last = -1
  for (let i = 0; i < 500 && quiet < 3; i++) {
    flush()
    await zaraz.track(SETTLE)
    await new Promise((r) => setTimeout(r, 2))
    const now = activity()
    quiet = now == last && done() ? quiet + 1 : 0
    last = now
  }
}

/** A repeatable random source, so generated ids are the same on every run. */
function seeded(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
}
