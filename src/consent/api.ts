import type { ZarazConsent } from '../types/zaraz'

/** `zaraz.consent` and `zaraz.showConsentModal()`, made by `createConsent` (`./index.ts`). */
export interface ConsentApi {
  consent: ZarazConsent
  showConsentModal(): void
}
