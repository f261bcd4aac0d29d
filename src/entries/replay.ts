/**
 * A call the loader stub recorded before the bundle arrived. Wire format between the stub pasted in
 * a page and the bundle, which may be of another version: do not rename.
 */
export interface QueuedCall {
  /** Method path on `zaraz`, e.g. `track` or `consent.set`. */
  m: string
  a: unknown[]
  r?: (value: unknown) => void
  j?: (error: unknown) => void
}

/** Replays stub calls on the real object, in call order, settling each stub promise with the real result. */
export function replay(queue: unknown, target: object): void {
  if (!Array.isArray(queue)) return
  for (const call of queue as QueuedCall[]) {
    try {
      const path = String(call.m).split('.')
      const name = path.pop()!
      let owner = target as Record<string, unknown>
      for (const k of path) owner = owner?.[k] as Record<string, unknown>
      const fn = owner?.[name]
      // Rejects the stub promise (below).
      if (typeof fn != 'function') throw new TypeError(`zaraz.${call.m} is not available in this version of tagrelay`)
      Promise.resolve(fn.apply(owner, call.a || [])).then(call.r, call.j)
    } catch (e) {
      call.j?.(e)
    }
  }
}
