import { expect, test } from 'vitest'
import { createBus } from '../../src/bus/bus'

const flush = () => new Promise((r) => setTimeout(r, 0))

test('events wait until the runtime is ready, then run in publish order', async () => {
  const seen: number[] = []
  let open!: () => void
  const ready = new Promise<void>((r) => (open = r))
  const publish = createBus((n: number) => (seen.push(n), Promise.resolve(n * 2)), ready, queueMicrotask, (fn) => setTimeout(fn, 0))
  const results = [1, 2, 3].map((n) => publish(n))
  await flush()
  expect(seen).toEqual([])
  open()
  await expect(Promise.all(results)).resolves.toEqual([2, 4, 6])
  expect(seen).toEqual([1, 2, 3])
})

test('a burst is handled in slices that yield to the page between them', async () => {
  const seen: number[] = []
  const later: Array<() => void> = []
  const publish = createBus((n: number) => (seen.push(n), Promise.resolve()), Promise.resolve(), queueMicrotask, (fn) => later.push(fn))
  for (let i = 0; i < 450; i++) void publish(i)
  await flush()
  expect(seen).toHaveLength(200)
  later.shift()!()
  expect(seen).toHaveLength(400)
  later.shift()!()
  expect(seen).toHaveLength(450)
  expect(seen).toEqual([...Array(450).keys()])
  expect(later).toEqual([])
})

test('a handler that throws rejects only its own event', async () => {
  const publish = createBus(
    (n: number) => {
      if (n == 2) throw new Error('boom')
      return Promise.resolve(n)
    },
    Promise.resolve(),
    queueMicrotask,
    (fn) => setTimeout(fn, 0),
  )
  const [a, b, c] = [1, 2, 3].map((n) => publish(n))
  await expect(a).resolves.toBe(1)
  await expect(b).rejects.toThrow('boom')
  await expect(c).resolves.toBe(3)
})
