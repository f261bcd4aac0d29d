/**
 * How many events tagrelay holds in memory, per page, while what they wait for is not there yet.
 * Each bound keeps memory flat on a page that fires events in a loop or a file that never arrives;
 * past it an event is dropped (the host and the consent gate say so in debug mode). The outbox's
 * limits, on what is stored across pages, are `OUTBOX_LIMITS` in src/transport/outbox.ts.
 */

/**
 * Events held for one tool while its component loads (src/tools/host/host.ts); past this the
 * oldest is dropped. A component normally arrives within a handful of events: 200 is far more than
 * a page sends while one file loads, and all that a tool whose file never comes can cost.
 */
export const MAX_HELD_PER_LOADING_TOOL = 200

/**
 * Page events (with their time) kept while the `client-events` chunk loads
 * (src/tools/host/client-events-proxy.ts), then replayed; past this the oldest is dropped. Mouse
 * moves and scrolls are not throttled until the chunk is here: the bound is what stops them piling
 * up while its file is slow or never comes. The same 200 as a loading tool's events.
 */
export const MAX_EARLY_CLIENT_EVENTS = 200

/**
 * Deliveries held for purposes the visitor has not decided (src/consent/gate.ts), for every tool
 * together; past this new ones are dropped (so the first pageview stays). Larger than a tool's
 * bound because one event is one delivery per tool, and a visitor may browse a while before choosing.
 */
export const MAX_HELD_FOR_CONSENT = 500
