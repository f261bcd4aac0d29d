/**
 * With Web Locks, one live page view of the site at a time restores the outbox: it holds the lock
 * until it leaves, and the next page view in line takes over then. (A lock around each claim alone
 * is not enough: another tab may not see this tab's claims in localStorage yet.)
 */
export interface Leader {
  /** This page view holds the lock. */
  _leads(): boolean
  /** Gets in line for the lock (once; again after `_resign`); `onLead` runs when it is granted. */
  _ask(): void
  /** Lets go of the lock, or of the place in line (the page is leaving). */
  _resign(): void
}

/** `gone`: the page has left; a lock granted after that is let go at once. */
export function createLeader(locks: Pick<LockManager, 'request'>, gone: () => boolean, onLead: () => void): Leader {
  /** In line for the lock, or holding it. */
  let inLine = false
  /** Lets go of the lock: set while this page view holds it. */
  let release: (() => void) | undefined
  const granted = () => {
    if (gone()) return
    return new Promise<void>((resolve) => {
      release = resolve
      onLead()
    })
  }
  return {
    _leads: () => !!release,
    _ask() {
      if (inLine) return
      inLine = true
      locks.request('tagrelay_outbox', granted).catch(() => {
        inLine = false
      })
    },
    _resign() {
      inLine = false
      release?.()
      release = undefined
    },
  }
}
