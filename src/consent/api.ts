import type { ZarazConsent } from '../types/zaraz'

/** `zaraz.consent` and `zaraz.showConsentModal()`, made by `createConsent` (`./index.ts`). */
export interface ConsentApi {
  consent: ZarazConsent
  showConsentModal(): void
}

/** A method of `zaraz.consent`, as `createConsent` writes it. */
export type ConsentMethod = (argument: never) => unknown

/**
 * The methods of `zaraz.consent`, each guarded: a hostile argument (a revoked Proxy, a throwing
 * getter) never throws into the page, only Zaraz's documented errors do (`documented`); anything
 * else is a console warning (`warn`).
 */
export function guardedMethods(methods: Record<string, ConsentMethod>, documented: (e: unknown) => boolean, warn: (message: string) => void) {
  const guarded: Record<string, ConsentMethod> = {}
  for (const [name, method] of Object.entries(methods)) {
    guarded[name] = (argument) => {
      try {
        return method(argument)
      } catch (e) {
        if (documented(e)) throw e
        warn(`zaraz.consent.${name}() ignored arguments it could not read`)
      }
    }
  }
  return guarded
}
