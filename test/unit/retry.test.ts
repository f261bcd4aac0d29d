import { describe, expect, test } from 'vitest'
import { nextStep } from '../../src/transport/retry'

const storage = () => true
const noStorage = () => false
const half = () => 0.5

describe('the retry policy', () => {
  test('a delivery, and a final 4xx answer, finish the request', () => {
    expect(nextStep({ status: 204 }, 1, 1, storage, half, 30_000)).toEqual({ _step: 'finish' })
    expect(nextStep({ status: 400, error: 'HTTP 400' }, 1, 1, storage, half, 30_000)).toEqual({ _step: 'finish' })
  })

  test('network errors, 5xx and 429 are retried with doubling backoff and jitter', () => {
    expect(nextStep({ status: 0, error: 'failed' }, 1, 1, storage, half, 30_000)).toEqual({ _step: 'retry', _wait: 750, _roundOver: false })
    expect(nextStep({ status: 503, error: 'HTTP 503' }, 2, 2, storage, half, 30_000)).toEqual({ _step: 'retry', _wait: 1500, _roundOver: false })
    expect(nextStep({ status: 429, error: 'HTTP 429' }, 3, 3, storage, () => 0, 30_000)).toEqual({ _step: 'retry', _wait: 2000, _roundOver: false })
  })

  test('Retry-After in seconds is obeyed, at most 60 s', () => {
    expect(nextStep({ status: 429, error: 'HTTP 429', _retryAfter: '7' }, 1, 1, storage, half, 30_000)).toMatchObject({ _wait: 7000 })
    expect(nextStep({ status: 503, error: 'HTTP 503', _retryAfter: '600' }, 1, 1, storage, half, 30_000)).toMatchObject({ _wait: 60_000 })
  })

  test('after each round of 4 attempts the request pauses; after 3 rounds this page view stops and keeps it', () => {
    expect(nextStep({ status: 0, error: 'failed' }, 4, 4, storage, half, 30_000)).toEqual({ _step: 'retry', _wait: 30_000, _roundOver: true })
    expect(nextStep({ status: 0, error: 'failed' }, 8, 8, storage, half, 30_000)).toEqual({ _step: 'retry', _wait: 30_000, _roundOver: true })
    expect(nextStep({ status: 0, error: 'failed' }, 12, 12, storage, half, 30_000)).toEqual({ _step: 'stop', _keep: true })
  })

  test('without storage a round ends this page view; after 20 attempts in all the request is dropped', () => {
    expect(nextStep({ status: 0, error: 'failed' }, 4, 4, noStorage, half, 30_000)).toEqual({ _step: 'stop', _keep: true })
    expect(nextStep({ status: 0, error: 'failed' }, 4, 20, storage, half, 30_000)).toEqual({ _step: 'stop', _keep: false })
  })
})
