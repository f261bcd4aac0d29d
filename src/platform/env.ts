/**
 * The world the runtime touches, passed in so that every stage can be tested without patching
 * globals. `browserEnv()` fills it from the page; tests pass their own pieces.
 */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface Logger {
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
  info(...args: unknown[]): void
}

/** Loads code the core bundle leaves out: the user-agent parser and the built-in tools. */
export type ChunkLoader = (name: string) => Promise<unknown>

export interface Env {
  window?: Window
  document?: Document
  localStorage?: Storage
  sessionStorage?: Storage
  clock: Clock
  random(): number
  fetch?: typeof fetch
  sendBeacon?: (url: string, data?: BodyInit | null) => boolean
  /** Web Locks (`navigator.locks`, secure pages only): keeps two tabs from sending the same stored request. */
  locks?: Pick<LockManager, 'request'>
  console: Logger
  /** Reloads the page (used by `zaraz.debug`). */
  reload?: () => void
}

const storage = (w: Window | undefined, name: 'localStorage' | 'sessionStorage') => {
  // Reading the property throws in sandboxed iframes and with storage blocked.
  try {
    return w?.[name]
  } catch {
    return undefined
  }
}

export function browserEnv(overrides: Partial<Env> = {}): Env {
  const w: Window | undefined = typeof window == 'object' ? window : undefined
  const nav = w?.navigator
  return {
    window: w,
    document: w?.document,
    localStorage: storage(w, 'localStorage'),
    sessionStorage: storage(w, 'sessionStorage'),
    clock: {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
    random: Math.random,
    fetch: w?.fetch ? w.fetch.bind(w) : undefined,
    sendBeacon: nav?.sendBeacon ? nav.sendBeacon.bind(nav) : undefined,
    locks: nav?.locks,
    console,
    reload: () => w?.location.reload(),
    ...overrides,
  }
}
