// GTM's data layer bridge (`dataLayer: true` in the config) as a separate file, loaded only then.
import { bridgeDataLayer } from '../facade/data-layer'
;(window.tagrelayChunks ||= []).push(['data-layer', { bridgeDataLayer }])
