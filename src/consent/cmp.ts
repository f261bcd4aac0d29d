// The bridges to existing CMPs (IAB TCF v2, Google Consent Mode): the `consent-cmp` chunk, loaded
// only when a page needs one (see docs/consent.md, "Existing CMPs").
export { bridgeTcf } from './tcf'
export { consentMode, type ConsentModeState } from './google'
