import { STORAGE_HINT } from './platform/env'

/**
 * The loader stub, pasted inline in <head>: defines `window.zaraz` with stand-ins that queue
 * every call (with its promise) until the bundle arrives and replays them in order.
 *
 * It also looks once for the `tagrelay_st` cookie (`st`), which only tagrelay writes: the bundle's
 * start-up then needs no cookie read of its own (see `hintedStorage`). In Chromium the first
 * `document.cookie` read is a synchronous round trip to the browser process; here, before the
 * bundle is compiled, it is short, while right after a long compile it waited 5–25 ms in the
 * benchmarks (docs/performance.md, "Start-up work").
 */
;(function (w: Window & { zaraz?: any }) {
  if (w.zaraz) return
  const z: any = (w.zaraz = { q: [] })
  try {
    z.st = ('; ' + w.document.cookie).indexOf('; ' + STORAGE_HINT + '=') > -1
  } catch (e) {
    // A sandboxed document: no cookie here, the bundle finds out by itself.
  }
  const stub = (m: string) =>
    function () {
      const a = [].slice.call(arguments)
      return new Promise(function (r, j) {
        z.q.push({ m: m, a: a, r: r, j: j })
      })
    }
  'track ecommerce set spaPageview registerTool debug showConsentModal'.split(' ').forEach(function (m) {
    z[m] = stub(m)
  })
  z.consent = { APIReady: false }
  'get set getAll setAll getAllCheckboxes setCheckboxes setAllCheckboxes sendQueuedEvents'.split(' ').forEach(function (m) {
    z.consent[m] = stub('consent.' + m)
  })
})(window)

export {}
