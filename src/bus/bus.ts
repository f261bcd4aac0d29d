/**
 * The event bus: calls are published on the page's stack and handled later, in order, in slices
 * so that a burst of calls never becomes one long task. Until `ready` settles (config read,
 * user-agent parser loaded when needed) events wait here. `createBus` returns its one operation,
 * `publish`.
 */

/** `wait`: this item, and every one published after it, is handled once `wait` settles. */
export type Publish<T, R> = (item: T, wait?: Promise<unknown>) => Promise<R>

interface Entry<T, R> {
  item: T
  resolve: (r: R | Promise<R>) => void
  wait?: Promise<unknown>
}

export type Scheduler = (fn: () => void) => void

/** How many events one slice handles before yielding to the page. */
const SLICE = 200

export function createBus<T, R>(
  handle: (item: T) => Promise<R>,
  ready: Promise<unknown>,
  /** Runs the first slice soon after the call (a microtask). */
  soon: Scheduler,
  /** Runs further slices after the page had its turn (a macrotask). */
  later: Scheduler,
): Publish<T, R> {
  let queue: Entry<T, R>[] = []
  let head = 0
  let scheduled = false
  let open = false

  const drain = () => {
    scheduled = false
    const end = Math.min(queue.length, head + SLICE)
    for (; head < end; head++) {
      const e = queue[head]
      if (e.wait) {
        const wait = e.wait
        e.wait = undefined
        scheduled = true
        wait.then(drain, drain)
        return
      }
      // (A throw rejects the call's promise.)
      e.resolve(new Promise<R>((r) => r(handle(e.item))))
    }
    if (head < queue.length) {
      scheduled = true
      later(drain)
    } else {
      queue = []
      head = 0
    }
  }
  const kick = () => {
    if (!scheduled && open) {
      scheduled = true
      soon(drain)
    }
  }
  const go = () => {
    open = true
    kick()
  }
  ready.then(go, go)

  return (item, wait) =>
    new Promise<R>((resolve) => {
      queue.push({ item, resolve, wait })
      kick()
    })
}
