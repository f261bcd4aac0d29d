// Contextual auto-escaping of template values written into markup (Custom HTML's htmlCode) and URLs
// (Custom Image's imgSrc): each hole's place comes from the literal text around it; values stay data.
import { beforeEach, describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { compileTemplate, type MarkupKind } from '../../src/router/template'
import { compileConfig } from '../../src/config/compile'
import { compileMarkup } from '../../src/autoescape/index'
import { REFUSED_URL } from '../../src/autoescape/escapers'
import { validateConfig } from '../../src/index'
import { recordingConsole, resetPage, setup, setupWithLoad } from './helpers'

beforeEach(resetPage)

/** Compiles `source` as a markup field and renders it with `client.v` = `v`; a refused hole throws its words. */
function render(source: string, v: unknown, kind: MarkupKind = 'html'): string {
  const errors: string[] = []
  const t = compileTemplate(source, (m) => errors.push(m), { escape: compileMarkup }, kind)
  if (errors.length) throw new Error(errors.join('\n'))
  return t({ client: { v }, system: {}, variables: {} }) as string
}

/** Why `source`'s holes are refused (empty: none is). */
function refused(source: string, kind: MarkupKind = 'html'): string[] {
  const errors: string[] = []
  compileTemplate(source, (m) => errors.push(m), { escape: compileMarkup }, kind)
  return errors
}

const V = '{{ client.v }}'
const HOSTILE = `</script><script>alert(1)</script>"'><img src=x onerror=alert(2)>\`\${x}\\\u2028\u2029\n\r<!--`

/** The elements of some markup, with their attribute names, in document order. */
function shape(markup: string): string[] {
  const t = document.createElement('template')
  t.innerHTML = markup
  return [...t.content.querySelectorAll('*')].map((e) => [e.localName, ...[...e.attributes].map((a) => a.name)].join(' '))
}

describe('HTML text and attribute values are HTML-escaped', () => {
  test('in text, a value is text: no element of its own', () => {
    const out = render(`<p>${V}</p>`, '<img src=x onerror=alert(1)>')
    expect(out).toBe('<p>&#60;img src=x onerror=alert(1)&#62;</p>')
    expect(shape(out)).toEqual(['p'])
  })

  test('in a quoted attribute value (double or single quotes), a value cannot end it', () => {
    for (const q of ['"', "'"]) {
      const out = render(`<p title=${q}${V}${q}>x</p>`, `"'><img src=x onerror=alert(1)>`)
      expect(shape(out)).toEqual(['p title'])
      const t = document.createElement('template')
      t.innerHTML = out
      expect(t.content.querySelector('p')!.title).toBe(`"'><img src=x onerror=alert(1)>`)
    }
  })

  test('in an unquoted attribute value, spaces and > are character references too', () => {
    const out = render(`<p class=a${V}>x</p>`, ' onclick=alert(1) >')
    expect(shape(out)).toEqual(['p class'])
    expect(out).not.toMatch(/[ >]onclick/)
  })

  test('in <textarea> and <title>, a value cannot end the element', () => {
    expect(shape(render(`<textarea>${V}</textarea>`, '</textarea><img src=x onerror=alert(1)>'))).toEqual(['textarea'])
    expect(shape(render(`<title>${V}</title>`, '</title><script>alert(1)</script>'))).toEqual(['title'])
  })

  test('objects are written as their JSON, null and undefined as nothing', () => {
    expect(render(`<p>${V}</p>`, { a: '<b>' })).toBe('<p>{&#34;a&#34;:&#34;&#60;b&#62;&#34;}</p>')
    expect(render(`<p>${V}</p>`, undefined)).toBe('<p></p>')
    expect(render(V, 5)).toBe('5')
  })
})

describe('in a <script>, a value stays data', () => {
  test('in a string it cannot end the string, a comment or the script (quotes, backslash, <, line terminators)', () => {
    for (const q of ["'", '"', '`']) {
      const out = render(`<script>var s = ${q}${V}${q}</script>`, HOSTILE)
      expect(out).toMatch(/^<script>var s = .[\w \\]*.<\/script>$/)
      expect(out.slice(8, -9)).not.toMatch(/\u2028|\u2029|\n|\r|<\/|<!/)
      // The string reads back as the value (the escapes are JSON's too).
      expect(JSON.parse('"' + out.slice(17, -10) + '"')).toBe(HOSTILE)
    }
  })

  test('outside a string literal, a value becomes a quoted string', () => {
    const out = render(`<script>var s = ${V}; f(${V})</script>`, 'alert(1)')
    expect(out).toBe('<script>var s = "alert\\u00281\\u0029"; f("alert\\u00281\\u0029")</script>')
  })

  test('U+2028 and U+2029 are escaped', () => {
    expect(render(`<script>'${V}'</script>`, '\u2028\u2029')).toBe("<script>'\\u2028\\u2029'</script>")
  })

  test('in a comment it cannot end the comment', () => {
    expect(render(`<script>// ${V}\nx()</script>`, '\nalert(1)')).toBe('<script>// \\u000aalert\\u00281\\u0029\nx()</script>')
    expect(render(`<script>/* ${V} */</script>`, '*/alert(1)/*')).toBe('<script>/* \\u002a\\u002falert\\u00281\\u0029\\u002f\\u002a */</script>')
  })

  test('a / after an operand divides, after an operator or keyword it starts a regular expression', () => {
    // Division: the quote after it starts a string, so the value is string text.
    expect(render(`<script>var a = b / 2; var s = '${V}'</script>`, "'")).toBe("<script>var a = b / 2; var s = '\\u0027'</script>")
    // A regex holding a quote: the quote is not a string's, so the value after the regex is in an expression.
    expect(render(`<script>var r = /'/; var s = ${V}</script>`, 'x')).toBe(`<script>var r = /'/; var s = "x"</script>`)
    expect(render(`<script>return /"/.test(a) && ${V}</script>`, 'x')).toBe(`<script>return /"/.test(a) && "x"</script>`)
    expect(refused(`<script>var r = /${V}/</script>`)[0]).toMatch(/regular expression/)
  })

  test("template literals: text is a string, ${ } an expression, and the literal's end is found past nested braces", () => {
    expect(render(`<script>\`a\${ {b: ${V}}.b } c ${V}\`; x = ${V}</script>`, '`')).toBe(
      '<script>`a${ {b: "\\u0060"}.b } c \\u0060`; x = "\\u0060"</script>',
    )
  })

  test('JSON-LD stays valid JSON holding the value', () => {
    const out = render(`<script type="application/ld+json">{"name": "${V}", "n": ${V}}</script>`, HOSTILE)
    expect(JSON.parse(out.slice(out.indexOf('>') + 1, -9))).toEqual({ name: HOSTILE, n: HOSTILE })
  })

  test('the script ends at </script> whatever the JavaScript around it: a value after it is in HTML again', () => {
    expect(render(`<script>var s = '</script><p>${V}</p>`, '<b>')).toBe("<script>var s = '</script><p>&#60;b&#62;</p>")
  })
})

describe('event-handler attributes: JavaScript escaping, then the attribute escaping', () => {
  test('in a string of the handler', () => {
    const out = render(`<button onclick="f('${V}')">b</button>`, `');alert(1);('"`)
    expect(out).toBe(`<button onclick="f('\\u0027\\u0029\\u003balert\\u00281\\u0029\\u003b\\u0028\\u0027\\u0022')">b</button>`)
    expect(shape(out)).toEqual(['button onclick'])
  })

  test('outside a string: a quoted string, its quotes as character references', () => {
    expect(render(`<button onclick="f(${V})">b</button>`, 'x')).toBe('<button onclick="f(&#34;x&#34;)">b</button>')
  })

  test('character references in the handler are read as the parser reads them (&quot; opens a string)', () => {
    expect(render(`<button onclick="f(&quot;${V}&quot;)">b</button>`, 'a b')).toBe('<button onclick="f(&quot;a b&quot;)">b</button>')
  })
})

describe('URL attributes', () => {
  test('a value that starts the URL cannot be a javascript:, vbscript: or data: URL, however it is written', () => {
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', 'vbscript:x', 'data:text/html,<script>alert(1)</script>', ':x'])
      expect(render(`<a href="${V}">l</a>`, bad)).toBe(`<a href="${REFUSED_URL}">l</a>`)
    expect(render(`<a href="${V}">l</a>`, 'https://shop.example/a b?x=1&y=2#f')).toBe('<a href="https://shop.example/a%20b?x=1&#38;y=2#f">l</a>')
    expect(render(`<a href="${V}">l</a>`, '/relative/path:x')).toBe('<a href="/relative/path:x">l</a>')
    expect(render(`<form action="${V}"></form><img src="${V}">`, 'mailto:a@b.example')).toBe('<form action="mailto:a@b.example"></form><img src="mailto:a@b.example">')
  })

  test('in the path or query a value is one percent-encoded component', () => {
    expect(render(`<a href="/s?q=${V}&amp;x=1">l</a>`, 'a&b=c#d /"e')).toBe('<a href="/s?q=a%26b%3Dc%23d%20%2F%22e&amp;x=1">l</a>')
    expect(render(`<img src="https://px.example/${V}/p.gif">`, '../x?y')).toBe('<img src="https://px.example/..%2Fx%3Fy/p.gif">')
    // A URL whose start is a value, then text: the value is filtered, what follows it is a component.
    expect(render(`<a href="${V}/${V}">l</a>`, 'javascript:alert(1)')).toBe(`<a href="${REFUSED_URL}/javascript%3Aalert%281%29">l</a>`)
  })

  test('URL attributes are found as Go finds them: data-src, xlink:href, names with src or url', () => {
    for (const attr of ['data-href', 'xlink:href', 'poster', 'formaction', 'lowsrc', 'data-url'])
      expect(render(`<x ${attr}="${V}"></x>`, 'javascript:alert(1)')).toBe(`<x ${attr}="${REFUSED_URL}"></x>`)
  })

  test('a value cannot start the URL a <script>, <link>, <iframe>, <object> or <embed> loads', () => {
    for (const [tag, attr] of [['script', 'src'], ['link', 'href'], ['iframe', 'src'], ['object', 'data'], ['embed', 'src']])
      expect(refused(`<${tag} ${attr}="${V}">`)[0]).toMatch(new RegExp(`starts the URL a <${tag}> loads`))
    expect(render(`<script src="https://cdn.example/a.js?v=${V}"></script>`, '1&x=2')).toBe('<script src="https://cdn.example/a.js?v=1%26x%3D2"></script>')
  })

  test('no value in a javascript:, vbscript: or data: URL the template writes', () => {
    for (const url of ['javascript:f(', ' JavaScript:', 'java&#x09;script:', 'javascript&colon;', 'data:text/html,'])
      expect(refused(`<a href="${url}${V}">l</a>`)[0]).toMatch(/javascript:, vbscript: or data: URL/)
  })
})

describe('imgSrc: a URL of its own', () => {
  test('values in the query or path are percent-encoded components', () => {
    expect(render(`https://px.example/p.gif?e=${V}&u=x`, 'a b&c=d', 'url')).toBe('https://px.example/p.gif?e=a%20b%26c%3Dd&u=x')
  })

  test('a value that starts it cannot make a javascript: or data: URL', () => {
    expect(render(V, 'javascript:alert(1)', 'url')).toBe(REFUSED_URL)
    expect(render(V, 'data:image/gif;base64,R0lGOD', 'url')).toBe(REFUSED_URL)
    expect(render(V, 'https://px.example/p.gif?a=1', 'url')).toBe('https://px.example/p.gif?a=1')
    expect(refused(`javascript:${V}`, 'url')[0]).toMatch(/javascript:/)
  })
})

describe('holes where no escaping makes a value safe are refused', () => {
  test.each([
    ['a tag name', `<${V}>`, /tag or attribute name/],
    ['an end tag name', `</${V}>`, /tag or attribute name/],
    ['an attribute name', `<p ${V}=1>`, /tag or attribute name/],
    ['after an attribute', `<p a="1"${V}>`, /tag or attribute name/],
    ['the start of an unquoted value', `<p title=${V}>`, /unquoted attribute value/],
    ['an HTML comment', `<!-- ${V} -->`, /comment/],
    ['a declaration', `<!DOCTYPE ${V}>`, /comment or declaration/],
    ['a <style> element', `<style>p { color: ${V} }</style>`, /CSS/],
    ['a style attribute', `<p style="color: ${V}">`, /style attribute/],
    ['an iframe srcdoc', `<iframe srcdoc="${V}"></iframe>`, /srcdoc attribute/],
    ['a srcset', `<img srcset="${V} 2x">`, /srcset attribute/],
    ['a <base>', `<base href="/${V}">`, /<base> tag/],
    ['a <meta>', `<meta http-equiv="refresh" content="0;url=${V}">`, /<meta> tag/],
    ['an SVG animation', `<svg><a><animate attributeName="href" values="${V}"/></a></svg>`, /<animate> tag/],
    ['right after &', `<p>&${V}</p>`, /follows "&"/],
    ['right after &# in an attribute', `<a href="x&#${V};">`, /follows "&"/],
    ['a <textarea> after a partial end tag', `<textarea></textare${V}>`, /follows "<"/],
    ['a script string after <', `<script>'<${V}/script>'</script>`, /follows "<"/],
    ['a script string after <!-', `<script>'<!-${V}-'</script>`, /follows "<"/],
    ['a script string after a backslash', `<script>'\\${V}'</script>`, /backslash/],
    ['a script after <!--', `<script><!--\n'${V}'</script>`, /<!--/],
    ['a <noscript>', `<noscript>${V}</noscript>`, /<noscript>/],
    ['an SVG <script> (its text is markup there)', `<svg><script>var a = ${V}</script></svg>`, /inside <svg> or <math>/],
    ['an SVG <title>', `<svg><title>${V}</title></svg>`, /inside <svg> or <math>/],
    ['markup after an SVG <script> holding <', `<svg><script><img src=x a="</script>"></svg><p>${V}</p>`, /read two ways/],
    ['markup after a <noscript> holding <', `<noscript><p title="</noscript>"></noscript><p>${V}</p>`, /read two ways/],
    ['markup after a CDATA section', `<svg><![CDATA[ > ]]></svg><p>${V}</p>`, /read two ways/],
  ])('in %s', (_, source, why) => {
    const errors = refused(source)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(why)
    expect(errors[0]).toMatch(/^\{\{ client\.v \}\} .*: no escaping keeps a value data there .*"autoescape": false/)
  })

  test('<svg> and <math> end where the parser ends them: <svg/> opens nothing, and raw text elements after </svg> are HTML again', () => {
    expect(render(`<svg><title>t</title></svg><script>var a = ${V}</script>`, 'x')).toBe('<svg><title>t</title></svg><script>var a = "x"</script>')
    expect(render(`<svg/><script>var a = ${V}</script>`, 'x')).toBe('<svg/><script>var a = "x"</script>')
    expect(render(`<math><mi>x</mi></math><noscript></noscript><p>${V}</p>`, '<')).toBe('<math><mi>x</mi></math><noscript></noscript><p>&#60;</p>')
  })

  test('a value right after < in a script expression is fine (it starts with a quote)', () => {
    expect(render(`<script>if (a <${V}) f()</script>`, '1')).toBe('<script>if (a <"1") f()</script>')
  })
})

describe('in the config', () => {
  const html = (htmlCode: unknown, extra: Record<string, unknown> = {}) => ({
    tools: { h: { component: 'custom-html', automatedActions: { pageview: true }, defaultFields: { htmlCode }, ...extra } },
  })

  test('a markup field with holes asks for the escaper; without it the field is empty, never raw', () => {
    const first = compileConfig(html(`<p>${V}</p>`))
    expect(first.needsEscaper).toBe(true)
    const fields = first.model!.tools[0].defaultFields({ client: { v: '<b>' }, system: {}, variables: {} }) as Record<string, unknown>
    expect(fields.htmlCode).toBe('')
    // No hole, or another tool's field of that name: nothing to escape.
    expect(compileConfig(html('<p>x</p>')).needsEscaper).toBe(false)
    expect(compileConfig({ tools: { t: { component: 'http-request', defaultFields: { htmlCode: V } } } }).needsEscaper).toBe(false)
  })

  test('an expression in a markup field still asks for the expression engine', () => {
    expect(compileConfig(html(`<p>{{ $uppercase(client.v) }}</p>`)).needsExpressions).toBe(true)
  })

  test('a refused hole is a config error at the field path, in settings, default fields and actions alike', () => {
    const { errors } = validateConfig({
      tools: {
        h: {
          component: 'custom-html',
          settings: { htmlCode: `<p ${V}>` },
          defaultFields: { htmlCode: `<style>${V}</style>` },
          actions: { a: { actionType: 'pageview', firingTriggers: ['Pageview'], data: { htmlCode: `<!-- ${V} -->` } } },
        },
        i: { component: 'custom-image', defaultFields: { imgSrc: `data:${V}` } },
      },
    })
    expect(errors.map((e) => e.path)).toEqual(['tools.h.actions.a.data.htmlCode', 'tools.h.settings.htmlCode', 'tools.h.defaultFields.htmlCode', 'tools.i.defaultFields.imgSrc'])
    expect(errors[0].message).toMatch(/^\{\{ client\.v \}\} is in an HTML comment/)
  })

  test('"autoescape": false on the tool entry inserts values raw (the documented opt-in)', () => {
    const raw = compileConfig(html(`<p ${V}>${V}</p>`, { autoescape: false }))
    expect(raw.errors).toEqual([])
    expect(raw.needsEscaper).toBe(false)
    expect((raw.model!.tools[0].defaultFields({ client: { v: '<b>' }, system: {}, variables: {} }) as Record<string, unknown>).htmlCode).toBe('<p <b>><b></p>')
    // Anything but `false` keeps escaping on.
    expect(compileConfig(html(`<p>${V}</p>`, { autoescape: 'false' })).needsEscaper).toBe(true)
    // It is said (validateConfig, debug mode): a value a visitor can set then runs as script.
    expect(validateConfig(html(`<p>${V}</p>`, { autoescape: false })).warnings).toEqual([
      { path: 'tools.h.autoescape', message: expect.stringMatching(/inserted raw: a value a visitor can set runs as script/) },
    ])
  })
})

describe('through the runtime', () => {
  const image = (imgSrc: string, extra: Record<string, unknown> = {}) => ({
    tools: { t: { component: 'custom-image', automatedActions: { track: true }, defaultFields: { imgSrc }, ...extra } },
  })

  test('Custom Image: values are URL-encoded in the query, and a value cannot make the URL javascript: or data:', async () => {
    const { zaraz, transport } = setup(image(`https://px.example/p.gif?q={{ client.q }}&e={{ client.__zarazTrack }}`))
    await zaraz.track('a b', { q: 'x&admin=1#f' })
    expect(transport.requests.map((r) => r.url)).toEqual(['https://px.example/p.gif?q=x%26admin%3D1%23f&e=a%20b'])

    const start = setup(image('{{ client.u }}'))
    await start.zaraz.track('x', { u: 'javascript:alert(1)' })
    await start.zaraz.track('x', { u: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' })
    await start.zaraz.track('x', { u: 'https://px.example/ok.gif' })
    expect(start.transport.requests.map((r) => r.url)).toEqual(['https://px.example/ok.gif'])
  })

  test('Custom Image with "autoescape": false: the value goes in as written (an image request is still http or https only)', async () => {
    const { zaraz, transport } = setup(image(`https://px.example/p.gif?q={{ client.q }}`, { autoescape: false }))
    await zaraz.track('x', { q: 'x&admin=1' })
    const raw = setup(image('{{ client.u }}', { autoescape: false }))
    await raw.zaraz.track('x', { u: 'javascript:alert(1)' })
    expect([...transport.requests, ...raw.transport.requests].map((r) => r.url)).toEqual(['https://px.example/p.gif?q=x&admin=1'])
  })

  test('Custom HTML: a value is text in the inserted markup; the config error of a refused hole keeps the runtime inert', async () => {
    const { zaraz } = setup({
      tools: { h: { component: 'custom-html', automatedActions: { track: true }, defaultFields: { htmlCode: `<p class="esc" title="{{ client.q }}">{{ client.q }}</p>` } } },
    })
    await zaraz.track('x', { q: '"><img class="injected" src=x>' })
    expect(document.querySelector('.injected')).toBeNull()
    const p = document.querySelector('.esc')!
    expect([p.textContent, p.getAttribute('title')]).toEqual(['"><img class="injected" src=x>', '"><img class="injected" src=x>'])
    p.remove()

    const console = recordingConsole()
    const bad = setup({ tools: { h: { component: 'custom-html', automatedActions: { track: true }, defaultFields: { htmlCode: '<p {{ client.q }}>' } } } }, { env: { console: console.log } })
    await bad.zaraz.track('x', { q: 'onclick=alert(1)' })
    expect(document.querySelector('[onclick]')).toBeNull()
    expect(String(console.lines.find((l) => l.level == 'error')?.args[1])).toMatch(/tools\.h\.defaultFields\.htmlCode: \{\{ client\.q \}\} is in a tag or attribute name/)
  })
})

describe('the escaper as a chunk', () => {
  const config = { tools: { i: { component: 'custom-image', automatedActions: { track: true }, defaultFields: { imgSrc: 'https://px.example/p.gif?q={{ client.q }}' } } } }

  test('it is loaded before the config is compiled, only when a markup field has a hole; with it, values are escaped', async () => {
    const asked: string[] = []
    const load = (name: string) => {
      asked.push(name)
      return name == 'autoescape' ? Promise.resolve({ escape: compileMarkup }) : Promise.reject(new Error('no ' + name))
    }
    const { zaraz, transport } = setupWithLoad(config, load, { 'custom-image': () => import('../../src/tools/custom-image') })
    await zaraz.track('x', { q: 'a&b' })
    expect(asked).toEqual(['autoescape'])
    expect(transport.requests.map((r) => r.url)).toEqual(['https://px.example/p.gif?q=a%26b'])
  })

  test('should it not load, the config is invalid: the runtime stays inert and says why', async () => {
    const { zaraz, transport, console } = setupWithLoad(config, () => Promise.reject(new Error('offline')), { 'custom-image': () => import('../../src/tools/custom-image') })
    await zaraz.track('x', { q: 'a&b' })
    expect(transport.requests).toEqual([])
    expect(String(console.lines.find((l) => l.level == 'error')?.args[1])).toMatch(/could not load the template chunks: offline/)
  })
})

describe('properties: for any value, the markup keeps the template shape and reads back as the value', () => {
  const TEMPLATES = [
    `<p title="${V}">${V}</p>`,
    `<p title='${V}'>a${V}</p>`,
    `<p title=x${V}>${V}</p>`,
    `<textarea>${V}</textarea><title>${V}</title>`,
    `<a href="${V}">l</a><a href="/s?q=${V}">m</a>`,
    `<button onclick="f('${V}', ${V})">b</button>`,
  ]
  // Any code point, and strings made of the characters that end things.
  const values = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.array(fc.constantFrom('<', '>', '"', "'", '`', '\\', '/', '*', '&', '#', ';', ':', '=', ' ', '\n', '\r', '\t', '\0', '\u2028', '\u2029', '</script>', '<!--', '-->', '${', '}', 'javascript:', 'a', '&amp;', '&#60;')).map((a) => a.join('')),
  )
  const wellFormed = (v: string) => v.replace(/\0/g, '\ufffd')

  test('HTML: the same elements and attributes as with a plain value, and text and attribute values equal to it', () => {
    fc.assert(
      fc.property(values, (v) => {
        for (const source of TEMPLATES) expect(shape(render(source, v))).toEqual(shape(render(source, 'plain')))
        const t = document.createElement('template')
        t.innerHTML = render(TEMPLATES[0] + TEMPLATES[3], v)
        const [p, area, title] = [...t.content.children] as HTMLElement[]
        expect([p.title, p.textContent, area.textContent, title.textContent]).toEqual(Array(4).fill(wellFormed(v)))
      }),
      { numRuns: 300 },
    )
    // 300 runs of happy-dom parsing: seconds on a loaded 2-core machine. A time limit, not an assertion on time.
  }, 60_000)

  test('JavaScript and URLs: a string literal and a URL component read back as the value', () => {
    fc.assert(
      fc.property(values, (v) => {
        const js = render(`<script>${V}</script>`, v).slice(8, -9)
        expect(JSON.parse(js)).toBe(v)
        expect(js).not.toMatch(/[\n\r\u2028\u2029<>'`]/)
        const q = render(`/s?q=${V}`, v, 'url')
        expect(new URL(q, 'https://shop.example/').searchParams.get('q')).toBe(v)
      }),
      { numRuns: 300 },
    )
  })
})
