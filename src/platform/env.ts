import { readCookies } from '../lib/cookies'
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

/** The cookie that says tagrelay has written to this site's Web Storage before (see `hintedStorage`). */
export const STORAGE_HINT = 'tagrelay_st'

/**
 * `localStorage` / `sessionStorage`, touched only when tagrelay has something there. In Chromium
 * the first access to a page's Web Storage is a synchronous round trip to the browser process
 * (about 1–3 ms each on a fresh page, sometimes 20 ms: a long task at start-up). So reads answer
 * "empty" without touching storage until the `tagrelay_st` cookie says that tagrelay wrote there
 * on this site before (the cookie is checked again at each read until it is seen); the first
 * write sets that cookie. Storage that throws (sandboxed frames, blocked storage) throws from
 * here too, as the real one does (reads where even the cookie cannot be read answer "empty").
 * The first check may take `seen`, the loader stub's early look at the cookie (see src/snippet.ts):
 * the script-tag bundle then reads no cookie at start-up.
 */
export function hintedStorage(w: Window, name: 'localStorage' | 'sessionStorage', seen?: boolean): Storage {
  let open = false
  const doc = w.document
  const real = () => w[name]
  // `seen`: what the loader stub found of the cookie, which stands for the first check only.
  const readable = () => {
    const s = seen
    seen = undefined
    return (open ||= s ?? STORAGE_HINT in readCookies(doc))
  }
  // What the runtime uses of a Storage (nothing here calls `clear`).
  return {
    get length() {
      return readable() ? real().length : 0
    },
    key: (i) => (readable() ? real().key(i) : null),
    getItem: (k) => (readable() ? real().getItem(k) : null),
    setItem(k, v) {
      real().setItem(k, v)
      // The first write on this site: later pages may read storage.
      if (!readable()) {
        doc.cookie = `${STORAGE_HINT}=1; max-age=31536000; path=/; samesite=lax`
        open = true
      }
    },
    removeItem(k) {
      if (readable()) real().removeItem(k)
    },
  } as Storage
}

/** `storageSeen`: whether the loader stub saw the `tagrelay_st` cookie (see `hintedStorage`). */
export function browserEnv(overrides?: Partial<Env>, storageSeen?: boolean): Env {
  const w: Window | undefined = typeof window == 'object' ? window : undefined
  const nav = w?.navigator
  return {
    window: w,
    document: w?.document,
    localStorage: w && hintedStorage(w, 'localStorage', storageSeen),
    sessionStorage: w && hintedStorage(w, 'sessionStorage', storageSeen),
    clock: {
      now: Date.now,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
    random: Math.random,
    fetch: w?.fetch?.bind(w),
    sendBeacon: nav?.sendBeacon?.bind(nav),
    locks: nav?.locks,
    console,
    reload: () => w?.location.reload(),
    ...overrides,
  }
}
