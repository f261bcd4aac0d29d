// Widget markup (manager.registerWidget) is inert: parsed in a <template> and cleaned before it is inserted.
import { describe, expect, test } from 'vitest'
import { inertMarkup } from '../../src/tools/host/inert-markup'

const pass = { createHTML: String, createScript: String, createScriptURL: String }
const clean = (html: string) => {
  const box = document.createElement('div')
  box.append(inertMarkup(document, html, pass))
  return box.innerHTML
}

describe('widget markup', () => {
  test('loses scripts (SVG ones too), embedding and page-steering elements, and SVG animations', () => {
    expect(clean('<p>a<script>x()</script></p>')).toBe('<p>a</p>')
    // (How SVG parses is Chromium's to show: test/e2e/escape.test.ts; here, that none is left.)
    expect(clean('<svg><script>x()</script><a><animate attributeName="href" values="javascript:x()"></animate><set attributeName="href" to="javascript:x()"></set></a></svg>')).not.toMatch(/script|animate|set|javascript/)
    expect(clean('<object data="x"></object><embed src="x"><base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=/x"><p>ok</p>')).toBe('<p>ok</p>')
  })

  test('loses on* handlers, srcdoc, and attributes holding a javascript:, vbscript: or data: URL however written', () => {
    expect(clean('<img src="/a.png" onerror="x()" OnLoad="x()" alt="a">')).toBe('<img src="/a.png" alt="a">')
    expect(clean('<iframe srcdoc="<script>x()</script>" src="/f"></iframe>')).toBe('<iframe src="/f"></iframe>')
    for (const url of ['javascript:x()', ' JavaScript:x()', 'java&#x09;script:x()', '&#106;avascript:x()', 'vbscript:x', 'data:text/html,x'])
      expect(clean(`<a href="${url}">l</a><button formaction="${url}">b</button>`)).toBe('<a>l</a><button>b</button>')
    expect(clean('<a href="https://shop.example/" title="javascript:">l</a>')).toBe('<a href="https://shop.example/">l</a>')
  })

  test('loses id and name values that would shadow a document or window property (DOM clobbering)', () => {
    expect(clean('<img name="cookie" src="/a.png"><form id="location"></form><p id="widget-title" name="x-y">t</p>')).toBe(
      '<img src="/a.png"><form></form><p id="widget-title" name="x-y">t</p>',
    )
  })

  test('a nested <template> is cleaned too; markup, styles and links stay', () => {
    const box = document.createElement('div')
    box.append(inertMarkup(document, '<template><img src=x onerror="x()"><script>x()</script></template><style>p{color:red}</style><a href="/p" class="c">p</a>', pass))
    expect(box.querySelector('template')!.innerHTML).toBe('<img src="x">')
    expect(box.innerHTML).toContain('<style>p{color:red}</style><a href="/p" class="c">p</a>')
  })
})
