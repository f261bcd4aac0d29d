import type { OutgoingRequest } from './transport'

/**
 * The persistent outbox: one `localStorage` key per request (`tagrelay_ob:<id>`), so that page
 * views writing their own requests never overwrite each other's. Storage that is full, blocked or
 * holds junk only means "nothing": a request that cannot be stored lives on in memory for this
 * page view only. Nothing here runs until the transport needs it (see transport.ts).
 *
 * This file is what the core needs of it: the format, the limits, (the transport writes and removes
 * its own entries, and checks whether anything is stored). The restore half
 * (reading, limits, claims) is `./restore`, a chunk of its own (`outbox.min.js`), loaded only
 * when something is stored.
 */

/**
 * A request not delivered yet, as stored: the request as sent, who may send it, and until when.
 * Storage format: do not rename (page views of other versions read these records).
 */
export interface Stored {
  r: OutgoingRequest
  /** Attempts so far, over every page view. */
  n: number
  /** When it was first sent. */
  t: number
  /** The tab (page view) that claims it, and until when; no claim (or 0): any page view may take it. */
  o?: string | 0
  x?: number
}

/** What the outbox keeps at most: oldest dropped first. */
export const OUTBOX_LIMITS = { count: 1000, chars: 500_000, attempts: 20, age: 7 * 24 * 3600_000 }

/**
 * How long a page view's claim on a stored request outlives its next planned attempt; also the
 * pause after each round of 4 attempts.
 */
export const LEASE = 30_000

/** The key of every stored request starts with this (storage format: do not rename). */
export const OUTBOX_PREFIX = 'tagrelay_ob:'

export { safe } from '../lib/safe'

