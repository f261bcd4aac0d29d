import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { armPageRules, startPageRules, type PageRuleContext } from '../../src/page-rules/index'
import { checkPageRule, type PageRule } from '../../src/router/page-rule-settings'
import { createFakeClock } from '../../src/testing/index'

type Fired = { trigger: string; props: Record<string, any> }

function context(overrides: Partial<PageRuleContext> = {}) {
  const fired: Fired[] = []
  const setListeners: Array<(k: string, v: unknown) => void> = []
  const clock = createFakeClock()
  let resolveFire: (() => void) | undefined
  const ctx: PageRuleContext = {
    window,
    document,
    clock,
    fire: (trigger, props) => {
      fired.push({ trigger, props })
      return new Promise<void>((r) => (resolveFire = r))
    },
    onSet: (fn) => void setListeners.push(fn),
    ...overrides,
  }
  return { ctx, fired, clock, set: (k: string, v: unknown) => setListeners.forEach((l) => l(k, v)), finishFire: () => resolveFire?.() }
}

const rule = (kind: PageRule['kind'], settings: Record<string, unknown>, trigger = 't1'): PageRule => ({
  trigger,
  kind,
  settings: checkPageRule(kind, settings, (p, m) => {
    throw new Error(`${p}: ${m}`)
  }, document),
})

let disarm: () => void = () => undefined
beforeEach(() => {
  document.body.innerHTML = ''
})
afterEach(() => disarm())

describe('click listener', () => {
  test('fires for clicks on matching elements, including elements added after arming, with their text and attributes', () => {
    const { ctx, fired } = context()
    disarm = armPageRules([rule('clickListener', { selector: '.buy', type: 'css' })], ctx)
    document.body.innerHTML = '<button class="buy" data-sku="p-1" id="b1">  Buy <b>now</b> </button><button class="other">x</button>'
    ;(document.querySelector('.buy b') as HTMLElement).click()
    ;(document.querySelector('.other') as HTMLElement).click()
    expect(fired).toHaveLength(1)
    expect(fired[0]).toMatchObject({
      trigger: 't1',
      props: { element: { tagName: 'button', id: 'b1', className: 'buy', text: 'Buy now', attributes: { 'data-sku': 'p-1', class: 'buy', id: 'b1' } } },
    })
  })

  test('waitForTags holds a link navigation until the actions were handed to tools', async () => {
    const assigned: string[] = []
    const fakeWindow = Object.create(window, { location: { value: { assign: (u: string) => assigned.push(u) } } })
    const { ctx, fired, finishFire } = context({ window: fakeWindow })
    disarm = armPageRules([rule('clickListener', { selector: 'a.out', waitForTags: 500 })], ctx)
    document.body.innerHTML = '<a class="out" href="https://elsewhere.example/next">go</a>'
    const event = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 })
    document.querySelector('a')!.dispatchEvent(event)
    expect(fired).toHaveLength(1)
    expect(event.defaultPrevented).toBe(true)
    expect(assigned).toEqual([])
    finishFire()
    await Promise.resolve()
    await Promise.resolve()
    expect(assigned).toEqual(['https://elsewhere.example/next'])
  })

  test('waitForTags gives up after its time and navigates once', () => {
    const assigned: string[] = []
    const fakeWindow = Object.create(window, { location: { value: { assign: (u: string) => assigned.push(u) } } })
    const { ctx, clock, finishFire } = context({ window: fakeWindow })
    disarm = armPageRules([rule('clickListener', { selector: 'a', waitForTags: 300 })], ctx)
    document.body.innerHTML = '<a href="/next">go</a>'
    document.querySelector('a')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }))
    clock.advance(299)
    expect(assigned).toEqual([])
    clock.advance(1)
    expect(assigned).toEqual([location.origin + '/next'])
    finishFire()
    expect(assigned).toHaveLength(1)
  })

  test('links opening elsewhere, modified clicks and clicks the page already handled are not held', () => {
    const assigned: string[] = []
    const fakeWindow = Object.create(window, { location: { value: { assign: (u: string) => assigned.push(u) } } })
    const { ctx, fired, clock, finishFire } = context({ window: fakeWindow })
    disarm = armPageRules([rule('clickListener', { selector: 'a', waitForTags: 300 })], ctx)
    document.body.innerHTML = '<a id="blank" href="/x" target="_blank">x</a><a id="plain" href="/y">y</a>'
    // After our document listener has seen each click, keep happy-dom from following the links.
    const stop = (e: Event) => e.preventDefault()
    window.addEventListener('click', stop)
    const blank = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 })
    document.getElementById('blank')!.dispatchEvent(blank)
    const withMeta = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, metaKey: true })
    document.getElementById('plain')!.dispatchEvent(withMeta)
    document.getElementById('plain')!.addEventListener('click', (e) => e.preventDefault(), { once: true })
    const handled = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 })
    document.getElementById('plain')!.dispatchEvent(handled)
    window.removeEventListener('click', stop)
    finishFire()
    clock.advance(1000)
    expect(fired.map((f) => f.props.element.id)).toEqual(['blank', 'plain', 'plain'])
    // The rule never took over navigation for these clicks.
    expect(assigned).toEqual([])
  })
})

describe('form submission', () => {
  test('fires on submit of a matching form; with validate only when the form is valid; never reads field values', () => {
    const { ctx, fired } = context()
    disarm = armPageRules([rule('formSubmission', { selector: '#signup', validate: true }, 'form')], ctx)
    document.body.innerHTML = '<form id="signup" novalidate><input name="email" type="email" required value="secret@example.com"></form>'
    const form = document.querySelector('form')!
    const input = form.querySelector('input')!
    form.addEventListener('submit', (e) => e.preventDefault())
    input.value = ''
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    expect(fired).toHaveLength(0)
    input.value = 'secret@example.com'
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    expect(fired).toHaveLength(1)
    expect(JSON.stringify(fired[0])).not.toContain('secret@example.com')
  })

  test('without validate an invalid form still fires', () => {
    const { ctx, fired } = context()
    disarm = armPageRules([rule('formSubmission', { selector: 'form' })], ctx)
    document.body.innerHTML = '<form novalidate><input required></form>'
    document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    expect(fired).toHaveLength(1)
  })
})

describe('timer', () => {
  test('fires every interval up to its limit', () => {
    const { ctx, fired, clock } = context()
    disarm = armPageRules([rule('timer', { interval: 1000, limit: 2 })], ctx)
    clock.advance(999)
    expect(fired).toHaveLength(0)
    clock.advance(1)
    clock.advance(5000)
    expect(fired.map((f) => f.props.count)).toEqual([1, 2])
  })

  test('without a limit it keeps firing until disarmed', () => {
    const { ctx, fired, clock } = context()
    disarm = armPageRules([rule('timer', { interval: 100 })], ctx)
    clock.advance(1000)
    expect(fired).toHaveLength(10)
    disarm()
    clock.advance(1000)
    expect(fired).toHaveLength(10)
  })
})

describe('variable match', () => {
  test('fires when the key takes the matching value, not for other keys or values', () => {
    const { ctx, fired, set } = context()
    disarm = armPageRules([rule('variableMatch', { variable: 'tier', match: 'gold' })], ctx)
    set('tier', 'silver')
    set('plan', 'gold')
    set('tier', 'gold')
    expect(fired).toEqual([{ trigger: 't1', props: { variable: 'tier', value: 'gold' } }])
  })
})

describe('scroll depth settings', () => {
  test('positions accept % and px', () => {
    expect(checkPageRule('scrollDepth', { positions: '25%, 50%,800px' }, () => undefined, document)).toEqual({
      positions: [
        { value: 25, unit: '%', label: '25%' },
        { value: 50, unit: '%', label: '50%' },
        { value: 800, unit: 'px', label: '800px' },
      ],
    })
  })
})

describe('review: what re-arming and disarming leave behind', () => {
  test('re-arming a variable match for each SPA page does not add another zaraz.set listener each time', () => {
    const { ctx, fired, set } = context()
    let listeners = 0
    const counted: PageRuleContext = { ...ctx, onSet: (fn) => (listeners++, ctx.onSet(fn)) }
    const rearm = startPageRules([rule('variableMatch', { variable: 'tier', match: 'gold' })], counted)
    for (let i = 0; i < 5; i++) rearm()
    set('tier', 'gold')
    expect(fired).toHaveLength(1)
    expect(listeners).toBe(1)
  })

  test('a scroll check scheduled before the rule was disarmed does not fire afterwards', () => {
    const { ctx, fired, clock } = context()
    let onScroll: (() => void) | undefined
    const fakeWindow = {
      scrollY: 0,
      innerHeight: 500,
      addEventListener: (_: string, fn: () => void) => (onScroll = fn),
      removeEventListener: () => (onScroll = undefined),
    } as unknown as Window
    const d = armPageRules([rule('scrollDepth', { positions: '3000px' })], { ...ctx, window: fakeWindow })
    ;(fakeWindow as { scrollY: number }).scrollY = 4000
    onScroll!()
    d() // an SPA navigation re-arms the rules for the next page
    clock.advance(200)
    expect(fired).toHaveLength(0)
  })

  test('a timer interval beyond what setTimeout holds is not turned into an immediate, endless timer', () => {
    const delays: number[] = []
    const { ctx } = context()
    const clock = { ...ctx.clock, setTimeout: (fn: () => void, ms: number) => (delays.push(ms), ctx.clock.setTimeout(fn, ms)) }
    disarm = armPageRules([rule('timer', { interval: 3_000_000_000 })], { ...ctx, clock })
    expect(delays).toHaveLength(1)
    expect(delays[0]).toBeLessThanOrEqual(2 ** 31 - 1)
  })

  test('waitForTags does not hold a link that opens in a new tab through <base target="_blank">', () => {
    const assigned: string[] = []
    const fakeWindow = Object.create(window, { location: { value: { assign: (u: string) => assigned.push(u) } } })
    const { ctx, fired } = context({ window: fakeWindow })
    disarm = armPageRules([rule('clickListener', { selector: 'a.out', waitForTags: 500 })], ctx)
    const base = document.createElement('base')
    base.target = '_blank'
    document.head.append(base)
    try {
      document.body.innerHTML = '<a class="out" href="https://elsewhere.example/next">go</a>'
      const event = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 })
      document.querySelector('a')!.dispatchEvent(event)
      expect(fired).toHaveLength(1)
      expect(event.defaultPrevented).toBe(false)
    } finally {
      base.remove()
    }
  })
})

describe('review: field values stay out of element when a framework mirrors them into the DOM', () => {
  // React keeps a controlled <textarea>'s defaultValue (its text) and an <input>'s value attribute
  // equal to what the visitor typed.
  test('a submitted form: its text leaves out what is inside its textareas', () => {
    const { ctx, fired } = context()
    disarm = armPageRules([rule('formSubmission', { selector: 'form' })], ctx)
    document.body.innerHTML = '<form><label>Message</label> <textarea name="m"></textarea> <button>Send</button></form>'
    document.querySelector('textarea')!.defaultValue = 'my private message'
    document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    expect(fired).toHaveLength(1)
    expect(fired[0].props.element.text).toBe('Message Send')
  })

  test('a clicked text field: no value attribute, no textarea text; a button keeps its value', () => {
    const { ctx, fired } = context()
    disarm = armPageRules([rule('clickListener', { selector: 'input, textarea' })], ctx)
    document.body.innerHTML = '<input name="email" value="ada@example.com"><textarea>typed text</textarea><input type="submit" value="Buy">'
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('input, textarea'))) el.click()
    expect(JSON.stringify(fired)).not.toContain('ada@example.com')
    expect(JSON.stringify(fired)).not.toContain('typed text')
    expect(fired[2].props.element.attributes.value).toBe('Buy')
  })
})
