/**
 * The loader stub, pasted inline in <head>: defines `window.zaraz` with stand-ins that queue
 * every call (with its promise) until the bundle arrives and replays them in order.
 */
;(function (w: Window & { zaraz?: any }) {
  if (w.zaraz) return
  const z: any = (w.zaraz = { q: [] })
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
