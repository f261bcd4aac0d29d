// The bridges to existing CMPs (TCF v2, Google Consent Mode) as a separate file, loaded only when needed.
import * as cmp from '../consent/cmp'
;(window.tagrelayChunks ||= []).push(['consent-cmp', cmp])
