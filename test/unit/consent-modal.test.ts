import { afterEach, describe, expect, test } from 'vitest'
import { openModal, type ModalHandle } from '../../src/consent/modal'
import { readConsentSettings } from '../../src/consent/settings'

const purposes = { stats: { name: 'Analytics', description: 'Counting visits', order: 1 } }
const policy = { createHTML: (html: string) => html }
let handle: ModalHandle | undefined

afterEach(() => {
  handle?.close()
  document.documentElement.lang = ''
})

/** Opens the modal for a consent section; answers its shadow root. */
function show(consent: Record<string, unknown>): ShadowRoot {
  handle = openModal({ document, settings: readConsentSettings({ enabled: true, purposes, ...consent }), _trustedTypes: policy, checked: {}, decide: () => {}, closed: () => {} })
  return document.querySelector('[data-tagrelay-consent]')!.shadowRoot!
}

describe('the consent modal', () => {
  test('without an intro in the config it says what the choices are about, in the page language, as the dialog description', () => {
    const root = show({})
    const intro = root.getElementById('cf_consent-intro')!
    expect(intro.textContent).toBe('Choose what this site may use cookies for.')
    expect(root.querySelector('dialog')!.getAttribute('aria-describedby')).toBe('cf_consent-intro')
    handle!.close()
    document.documentElement.lang = 'de-AT'
    expect(show({}).getElementById('cf_consent-intro')!.textContent).toBe('Wählen Sie, wofür diese Website Cookies verwenden darf.')
  })

  test('the config’s intro replaces the default one', () => {
    const root = show({ consentModalIntroHTML: '<b>Our</b> words' })
    expect(root.getElementById('cf_consent-intro')!.textContent).toBe('Our words')
  })

  test('the intro and the purposes are in one scrolling part between the title and the buttons', () => {
    const root = show({})
    const dialog = root.querySelector('dialog')!
    expect([...dialog.children].map((c) => c.id || c.className)).toEqual(['cf_modal_title', 'cf_consent-body', 'cf_consent-buttons'])
    expect([...root.querySelector('.cf_consent-body')!.children].map((c) => c.className)).toEqual(['cf_consent-intro', 'cf_consent-container'])
  })
})
