// tagrelay and its peers, each set up to do the same work: `tools` trivial sinks that each receive
// every event (tagrelay: registered Managed Components; Segment: destination plugins; analytics:
// no-op plugins; Snowplow: plugins with afterTrack; RudderStack: custom device-mode integrations),
// the first pageview dispatched to all of them, nothing leaving 127.0.0.1.
//
// This module runs in the page (Chromium, imported as an ES module) and in Node (happy-dom), so it
// touches only what both have. `env.lib` is the library: the npm module in Node; in the page it is
// read from the global the browser build defines, once `env.evaluate` ran that build (it returns a
// promise when the build loads as a `<script src>`).
//
// A library's built-in delivery is switched off where it can be (Segment's "Segment.io"
// destination); where it is the library itself (Snowplow's emitter, RudderStack's data plane
// queue) it posts every event to the local collector (`env.collector`), which answers 204.

/** The trivial tool each library gets `tools` of: it only counts what it receives. */
const range = (n) => Array.from({ length: n }, (_, i) => i)

export const LIBRARIES = {
  // The harness alone (no library; each sink called on the caller's stack): the floor under every
  // start-up figure, reported beside them.
  none: {
    label: '(no library: harness floor)',
    control: true,
    browserFiles: [],
    async start(env, tools, hit) {
      const all = () => {
        for (let i = 0; i < tools; i++) hit()
      }
      all()
      return { track: all, raw: null }
    },
  },

  tagrelay: {
    label: 'tagrelay',
    browserFiles: ['/dist/snippet.min.js', '/dist/tagrelay.min.js'],
    // The loader stub is pasted inline in the page (README), so it stays inline as script tags too.
    inlineFiles: ['/dist/snippet.min.js'],
    async start(env, tools, hit) {
      const sink = (manager) => {
        manager.addEventListener('pageview', hit)
        manager.addEventListener('event', hit)
      }
      const config = {
        tools: Object.fromEntries(range(tools).map((i) => [`sink${i}`, { component: 'sink', automatedActions: { pageview: true, track: true } }])),
      }
      let zaraz
      if (env.browser) {
        // The page shape of the script tag: config, the loader stub, a queued registerTool, the bundle.
        window.zarazConfig = config
        await env.evaluate(0)
        window.zaraz.registerTool('sink', sink)
        await env.evaluate(1)
        zaraz = window.zaraz
      } else {
        zaraz = env.lib.createZaraz({ config, tools: { sink } })
      }
      return { track: (name, props) => zaraz.track(name, props), raw: zaraz }
    },
  },

  segment: {
    label: 'Segment analytics-next',
    // The UMD build of the npm package: the same code as the CDN's standalone.js without the
    // snippet handling and the settings fetch (settings are given inline here).
    browserFiles: ['/node_modules/@segment/analytics-next/dist/umd/index.js'],
    global: () => self.AnalyticsNext,
    async start(env, tools, hit) {
      const plugins = range(tools).map((i) => ({
        name: `sink${i}`,
        type: 'destination',
        version: '1.0.0',
        isLoaded: () => true,
        load: () => Promise.resolve(),
        track: (ctx) => (hit(), ctx),
        page: (ctx) => (hit(), ctx),
      }))
      if (env.browser) await env.evaluate(0)
      const lib = env.lib || this.global()
      const [analytics] = await lib.AnalyticsBrowser.load(
        { writeKey: 'bench', cdnSettings: { integrations: {}, metrics: { sampleRate: 0 } }, plugins },
        { integrations: { 'Segment.io': false } },
      )
      analytics.page()
      return { track: (name, props) => analytics.track(name, props), raw: analytics }
    },
  },

  analytics: {
    label: 'analytics (getanalytics)',
    browserFiles: ['/node_modules/analytics/dist/analytics.min.js'],
    global: () => self._analytics,
    async start(env, tools, hit) {
      if (env.browser) await env.evaluate(0)
      const lib = env.lib || this.global()
      const Analytics = lib.Analytics || lib.default
      // The no-op plugin: one per tool, receiving page and track.
      const plugins = range(tools).map((i) => ({ name: `sink${i}`, page: hit, track: hit }))
      const analytics = Analytics({ app: 'bench', plugins })
      analytics.page()
      return { track: (name, props) => analytics.track(name, props), raw: analytics }
    },
  },

  snowplow: {
    label: 'Snowplow browser-tracker',
    browserFiles: ['/node_modules/@snowplow/browser-tracker/dist/index.umd.min.js'],
    global: () => self.snowplowBrowserTracking,
    async start(env, tools, hit) {
      if (env.browser) await env.evaluate(0)
      const lib = env.lib || this.global()
      const plugins = range(tools).map(() => ({ afterTrack: hit }))
      lib.newTracker('bench', env.collector, { appId: 'bench', plugins, eventMethod: 'post', bufferSize: 1, contexts: { webPage: true } })
      lib.trackPageView()
      const schema = 'iglu:dev.tagrelay.bench/track/jsonschema/1-0-0'
      return { track: (name, props) => lib.trackSelfDescribingEvent({ event: { schema, data: { name, ...props } } }), raw: lib }
    },
  },

  rudderstack: {
    label: 'RudderStack analytics-js',
    // The "bundled" variant: its plugins are in the file, so nothing is fetched from a CDN.
    browserFiles: ['/node_modules/@rudderstack/analytics-js/dist/npm/modern/bundled/umd/index.js'],
    global: () => self.rudderanalytics,
    async start(env, tools, hit) {
      if (env.browser) await env.evaluate(0)
      const lib = env.lib || this.global()
      const ra = new lib.RudderAnalytics()
      const destinations = range(tools).map((i) => ({
        id: `sink${i}`,
        enabled: true,
        config: {},
        destinationDefinition: { name: 'CUSTOM', displayName: 'Custom Device Mode' },
      }))
      const sourceConfig = { source: { id: 'bench', name: 'bench', enabled: true, workspaceId: 'bench', config: {}, destinations } }
      // Custom integrations are added before load(): with the source config given inline, the SDK
      // is loaded by the time load() returns and refuses them after that.
      for (const d of destinations) ra.addCustomIntegration(d.id, { isReady: () => true, track: hit, page: hit })
      ra.load('bench', env.collector, { getSourceConfig: () => sourceConfig, logLevel: 'NONE', destSDKBaseURL: env.collector, pluginsSDKBaseURL: env.collector })
      await new Promise((ok) => ra.ready(ok))
      ra.page()
      return { track: (name, props) => ra.track(name, props), raw: ra }
    },
  },
}

/** tagrelay first, then the peers; without the control. */
export const NAMES = Object.keys(LIBRARIES).filter((n) => !LIBRARIES[n].control)
