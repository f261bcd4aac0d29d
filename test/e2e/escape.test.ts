// Template values are data (docs/tools/custom-html.md): hostile values from the page's query in
// Custom HTML's text, attributes, script strings and expressions, event handlers and URLs run
// nothing in Chromium under the CSP of docs/csp.md, Custom Image sends them URL-encoded, the raw
// opt-in inserts raw, and widget markup is inert. And, for any value, the escaped markup the real
// parser reads has the template's shape and gives the value back.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Page } from 'playwright-core'
import { fixtureServerAndBrowser } from './browser'
import { compileTemplate } from '../../src/router/template'
import { compileMarkup } from '../../src/autoescape/index'
import { REFUSED_URL, urlStart } from '../../src/autoescape/escapers'

type W = Window & {
  escStr?: string
  escDq?: string
  escExpr?: string
  escTpl?: string
  escDone?: boolean
  escEnd?: boolean
  pwned?: unknown
  rawRan?: number
  widgetPwned?: unknown
  got?: unknown[]
  place?: (markup: string) => { box: HTMLElement; shape: string[] }
}

/** Values that would run script or make a request to /collect/pwned if they were markup or code. */
const HOSTILE = [
  `</script><script>window.pwned = 1; fetch('/collect/pwned')</script>`,
  `"><img src=/collect/pwned onerror="window.pwned = 2"><script>window.pwned = 2</script>`,
  `';window.pwned = 3; fetch('/collect/pwned');'`,
  `";window.pwned = 4; fetch('/collect/pwned');//`,
  `1; window.pwned = 5; fetch('/collect/pwned')`,
  '`; window.pwned = 6; `${window.pwned = 6}',
  '\u2028\u2029\n\r window.pwned = 7; fetch("/collect/pwned") //',
  `<!--<script>window.pwned = 8</script>-->\\`,
]

describe('template values are data, in Chromium', () => {
  const fx = fixtureServerAndBrowser('delivery')

  /**
   * A blank page with `window.place(markup)`: the markup parsed in a <template> (its shape: each
   * element's name and attribute names), put in the page with its scripts re-created, as Custom HTML does.
   */
  const blankPage = async () => {
    const page = await fx.browser.newPage()
    await page.route(fx.server.url + '/blank.html', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><body></body>' }))
    await page.goto(fx.server.url + '/blank.html')
    await page.evaluate(() => {
      ;(window as W).place = (markup) => {
        const t = document.createElement('template')
        t.innerHTML = markup
        const shape = [...t.content.querySelectorAll('*')].map((e) => [e.localName, ...[...e.attributes].map((a) => a.name)].join(' '))
        const box = document.createElement('div')
        document.body.replaceChildren(box)
        box.append(t.content)
        for (const dead of box.querySelectorAll('script')) {
          const live = document.createElement('script')
          for (const a of dead.attributes) live.setAttribute(a.name, a.value)
          live.text = dead.textContent!
          dead.replaceWith(live)
        }
        return { box, shape }
      }
    })
    return page
  }

  /**
   * escape.html with `query`, served with the CSP of docs/csp.md or (`csp` false) with none, where
   * an injected handler would run too; once Custom HTML's script ran, the pixels and the widget are in.
   */
  async function open(query: Record<string, string>, csp: boolean): Promise<{ page: Page; problems: string[] }> {
    const page = await fx.browser.newPage()
    // Uncaught errors: a value that broke out of a script string would leave one.
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    const search = '?' + new URLSearchParams(query)
    if (!csp) {
      // The same page (nonce and loader stub filled in by the server), without its CSP header and meta tag.
      const html = await (await fetch(fx.server.url + '/escape.html')).text()
      await page.route(fx.server.url + '/escape-no-csp.html' + search, (route) =>
        route.fulfill({ contentType: 'text/html', body: html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '') }),
      )
    }
    fx.server.clear()
    await page.goto(fx.server.url + (csp ? '/escape.html' : '/escape-no-csp.html') + search)
    // (Custom HTML's last script, apart from the one with the holes: it runs even where that one could not.)
    await page.waitForFunction(() => (window as W).escEnd && document.querySelector('[data-tagrelay-widget="wid"]'), null, { timeout: 30_000 })
    const paths = () => fx.server.collected.map((r) => r.path)
    for (let end = Date.now() + 10_000; !(paths().includes('/collect/img') && paths().includes('/collect/pixel')) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20))
    return { page, problems }
  }

  it('hostile query values in text, attributes, script strings and expressions, handlers and URLs run nothing (nonce + Trusted Types CSP, and no CSP)', async () => {
    // Every value under the CSP; without it (where an injected handler would run too) the markup ones.
    for (const [csp, values] of [[true, HOSTILE], [false, HOSTILE.slice(0, 2)]] as const)
      for (const q of values) {
        const { page, problems } = await open({ q, u: 'javascript:void(window.pwned = 9)' }, csp)
        const seen = await page.evaluate(() => {
          const w = window as W
          const el = (id: string) => document.getElementById(id)!
          return {
            pwned: w.pwned,
            done: w.escDone,
            scripts: [w.escStr, w.escDq, w.escExpr, w.escTpl],
            elements: [...el('esc').querySelectorAll('*')].map((e) => e.id),
            text: el('t').textContent,
            titles: [el('a').title, el('u').title],
            button: [...el('btn').attributes].map((a) => a.name),
            href: el('link').getAttribute('href'),
          }
        })
        const label = `${csp ? 'CSP' : 'no CSP'}: ${JSON.stringify(q)}`
        expect({ ...seen, problems }, label).toEqual({
          problems: [],
          pwned: undefined,
          done: true,
          scripts: [q, q, q, q],
          elements: ['t', 'a', 'u', 'link', 'img', 'btn'],
          text: q,
          titles: [q, 'x' + q],
          button: ['id', 'onclick'],
          href: REFUSED_URL,
        })
        // A value that ends the link's URL cannot make it javascript: either.
        await page.click('#link')
        expect(await page.evaluate(() => (window as W).pwned), label).toBeUndefined()
        // The image's query and Custom Image's: one percent-encoded component each, read back as the value.
        const query = (path: string) => fx.server.collected.find((r) => r.path == path)?.query.q
        expect([query('/collect/img'), query('/collect/pixel')], label).toEqual([q, q])
        expect(fx.server.collected.filter((r) => r.path.startsWith('/collect/pwned')), label).toEqual([])
        await page.close()
      }
  })

  it('"autoescape": false inserts the value raw: its markup is markup and its script runs (the documented opt-in)', async () => {
    const { page } = await open({ r: '<b id="rawb">raw</b><script>window.rawRan = 1</script>' }, true)
    await page.waitForFunction(() => (window as W).rawRan === 1, null, { timeout: 10_000 })
    expect(await page.evaluate(() => document.querySelector('#raw > b#rawb')?.textContent)).toBe('raw')
    await page.close()
  })

  it('widget markup is inert: no scripts (SVG too), handlers, javascript: or data: URLs, srcdoc, <object>, <embed>, <base>, <meta>, clobbering names', async () => {
    for (const csp of [true, false]) {
      const { page } = await open({}, csp)
      const label = csp ? 'CSP' : 'no CSP'
      const widget = () =>
        page.evaluate(() => {
          const all = [...document.getElementById('w')!.querySelectorAll('*')]
          const attrs = all.flatMap((e) => [...e.attributes])
          return {
            elements: all.map((e) => e.localName),
            handlers: attrs.filter((a) => /^on/i.test(a.name)).map((a) => a.name),
            codeUrls: attrs.filter((a) => /^(javascript|vbscript|data):/i.test(a.value.replace(/[\0- ]/g, ''))).map((a) => a.name),
            srcdoc: attrs.some((a) => a.name == 'srcdoc'),
            name: document.querySelector('img[src="/collect/widget-ok"]')!.getAttribute('name'),
            cookie: typeof document.cookie,
            base: document.baseURI == location.href,
          }
        })
      expect(await widget(), label).toEqual({
        elements: ['p', 'img', 'svg', 'a', 'text', 'a', 'a', 'iframe', 'form', 'button', 'img'],
        handlers: [],
        codeUrls: [],
        srcdoc: false,
        name: null,
        cookie: 'string',
        base: true,
      })
      for (const target of ['#wp', '#wa', '#wa2', '#wsa text']) await page.click(target)
      expect(await page.evaluate(() => (window as W).widgetPwned), label).toBeUndefined()
      expect(fx.server.collected.filter((r) => r.path == '/collect/widget-refresh'), label).toEqual([])
      await page.close()
    }
  })

  it('for any value, the escaped markup Chromium parses has the template shape and gives the value back (fast-check)', async () => {
    const V = '{{ client.v }}'
    const source =
      `<p id="t" title="${V}" data-x='${V}' class=c${V}>${V}</p><textarea id="ta">${V}</textarea>` +
      `<script>window.got.push('${V}', "${V}", ${V}, \`${V}\`) // ${V}\n</script>` +
      `<script type="application/ld+json" id="ld">{"v": "${V}", "w": ${V}}</script>` +
      `<button id="b" onclick="window.got.push('${V}', ${V})">b</button>` +
      `<a id="l" href="${V}">l</a><a id="q" href="/s?q=${V}#${V}">q</a>`
    const template = compileTemplate(source, (m) => expect.fail(m), { escape: compileMarkup }, 'html')
    const render = (v: string) => template({ client: { v }, system: {}, variables: {} }) as string

    const page = await blankPage()
    // The markup parsed in a <template>, put in the page with its scripts re-created (as Custom HTML does), the button clicked.
    const inPage = (markup: string) =>
      page.evaluate((markup) => {
        const w = window as W
        w.got = []
        delete w.pwned
        const { box, shape } = w.place!(markup)
        box.querySelector<HTMLElement>('#b')!.click()
        const p = box.querySelector<HTMLElement>('#t')!
        const q = new URL(box.querySelector<HTMLAnchorElement>('#q')!.href)
        return {
          shape,
          pwned: w.pwned,
          got: w.got,
          html: [p.textContent, p.title, p.dataset.x, p.className, box.querySelector('textarea')!.defaultValue],
          ld: JSON.parse(box.querySelector('#ld')!.textContent!),
          href: box.querySelector('#l')!.getAttribute('href'),
          url: [q.searchParams.get('q'), decodeURIComponent(q.hash.slice(1))],
        }
      }, markup)

    const plain = await inPage(render('plain'))
    const values = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc
        .array(fc.constantFrom('<', '>', '"', "'", '`', '\\', '/', '*', '&', '#', ';', ':', '=', ' ', '\n', '\r', '\t', '\0', '\u2028', '\u2029', '</script>', '<!--', '-->', '${', '}', 'javascript:', 'window.pwned=1', '&amp;', '&#60;', 'a'))
        .map((a) => a.join('')),
    )
    await fc.assert(
      fc.asyncProperty(values, async (v) => {
        const html = v.replace(/\0/g, '\ufffd')
        expect(await inPage(render(v))).toEqual({
          shape: plain.shape,
          pwned: undefined,
          got: [v, v, v, v, v, v],
          // (The parser drops a <textarea>'s leading line feed, even one written as a reference.)
          html: [html, html, html, 'c' + html, html.replace(/^\n/, '')],
          ld: { v, w: v },
          href: urlStart(v),
          url: [v, v],
        })
      }),
      { numRuns: 150 },
    )
    await page.close()
  })
  it('for any template made of HTML and JavaScript pieces whose holes are accepted, a hostile value leaves the shape a plain value gives and runs nothing (fast-check)', async () => {
    const V = '{{ client.v }}'
    // Pieces that open and close tags, attributes, scripts, strings, comments, regular expressions, raw text and foreign content.
    const PIECES = [
      '<p>', '</p>', '<p title="', '"', "'", '<p title=', '<p title=a', ' ', '>', '/>', '<a href="', '<a href=', '<a href="/x?y=', '<a href="javascript:',
      '<script>', '</script>', '</scr', 'ipt>', 'var s = ', '`', '${', '}', '{', '/', '//', '/*', '*/', '\n', '\r', '\u2028', '<!--', '-->', '<!', '<!-', '--',
      '<textarea>', '</textarea>', '<title>', '<button onclick="', '<button onclick=', '&quot;', '&#39;', '&', '<', 'x', '=', '(', ')', '[', ']', '\\', ';',
      'return /', 'x /', ')/', '/a/', '/[/]/', '<style>', '</style>', '<svg>', '</svg>', '<svg/>', '<math>', '</math>', '<mi>', '<foreignObject>', '<desc>',
      '<![CDATA[', ']]>', '<img src=x ', 'onerror=', '<iframe>', '</iframe>', '<noscript>', '</noscript>', '<xmp>', '<template>', '<select>', '<table>',
      'data-', 'on', 'href', 'src', '="', '<script type="text/html">', '<plaintext>', '<?', '<a xlink:href="', '<x onmouseover="', '<base href="',
    ]
    const HOSTILE = [
      `'-(window.pwned=1)-'`, `"-(window.pwned=1)-"`, '`-(window.pwned=1)-`', '*/(window.pwned=1)/*', '\n(window.pwned=1)//', '\u2028(window.pwned=1)//',
      `</script><script>window.pwned=1</script>`, `"><img src=x onerror=window.pwned=1>`, `' onerror=window.pwned=1 x='`, ' onerror=window.pwned=1 ',
      'javascript:window.pwned=1', '${window.pwned=1}', '-->(window.pwned=1)<!--', '</textarea><img src=x onerror=window.pwned=1>', ']]><img src=x onerror=window.pwned=1>',
      '&lt;img src=x onerror=window.pwned=1&gt;', 'window.pwned=1', '',
    ]
    const page = await blankPage()
    // Parsed in a <template>, put in the page with scripts re-created; every handler fired, every link and button clicked (navigation but to javascript: prevented).
    const run = (markup: string) =>
      page.evaluate(async (markup) => {
        const w = window as W & { guarded?: boolean }
        delete w.pwned
        if (!w.guarded) {
          w.guarded = true
          const code = (a: Element | null) => /^[\0- ]*javascript:/i.test((a?.getAttribute('href') || '').replace(/[\t\n\r]/g, ''))
          document.addEventListener('click', (e) => code((e.target as Element).closest?.('a') ?? null) || e.preventDefault(), true)
          document.addEventListener('submit', (e) => e.preventDefault(), true)
        }
        const { box, shape } = w.place!(markup)
        for (const el of box.querySelectorAll('*')) {
          for (const a of [...el.attributes]) if (/^on/i.test(a.name)) el.dispatchEvent(new Event(a.name.slice(2)))
          if (el.localName == 'a' || el.localName == 'button') el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
        }
        await new Promise((r) => setTimeout(r, 0))
        return { shape, pwned: w.pwned }
      }, markup)

    let accepted = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.constant(V)), { minLength: 1, maxLength: 16 }), fc.constantFrom(...HOSTILE), async (parts, hostile) => {
        const source = parts.join('')
        const errors: string[] = []
        const template = compileTemplate(source, (m) => errors.push(m), { escape: compileMarkup }, 'html')
        // (A refused hole is a config error: nothing is rendered.)
        if (errors.length || !source.includes(V)) return
        accepted++
        const render = (v: string) => template({ client: { v }, system: {}, variables: {} }) as string
        const plain = await run(render('plain'))
        const bad = await run(render(hostile))
        expect({ source, ...bad }).toEqual({ source, shape: plain.shape, pwned: undefined })
      }),
      { numRuns: 800 },
    )
    // The pieces make templates the escaper accepts often enough for the property to say something.
    expect(accepted).toBeGreaterThan(200)
    await page.close()
  })
})
