import { beforeEach, expect, test } from 'vitest'
import { createTestZaraz } from '../../src/testing/index'
import { resetPage } from './helpers'

beforeEach(resetPage)

const config = {
  tools: {
    ga: { component: 'google-analytics-4', settings: { tid: 'G-TEST1' }, automatedActions: { pageview: true } },
    ads: { component: 'google-ads', settings: { conversionId: 'AW-123' }, automatedActions: { pageview: true } },
  },
}

const param = (url: string, key: string) => new URL(url).searchParams.get(key)

test('Google tools send Consent Mode state as gcs and never as an event parameter', async () => {
  const t = createTestZaraz({ config })
  t.zaraz.set('google_consent_update', { ad_storage: 'denied', analytics_storage: 'granted', ad_user_data: 'denied', ad_personalization: 'denied' })
  await t.zaraz.spaPageview()
  await t.settle()
  const ga = t.requests.find((r) => r.url.includes('/g/collect'))!
  const ads = t.requests.find((r) => r.url.includes('viewthroughconversion'))!
  expect(param(ga.url, 'gcs')).toBe('G101')
  expect(param(ads.url, 'gcs')).toBe('G101')
  expect(ga.url).not.toContain('google_consent')
  expect(ads.url).not.toContain('google_consent')
})

test('without Consent Mode state there is no gcs', async () => {
  const t = createTestZaraz({ config })
  await t.zaraz.spaPageview()
  await t.settle()
  for (const r of t.requests) expect(param(r.url, 'gcs')).toBeNull()
})
