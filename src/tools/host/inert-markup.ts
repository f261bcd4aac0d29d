import type { TrustedPolicy } from '../../platform/trusted-types'

/** Elements that run code (SVG's `<script>` too), embed or steer the page, or animate an attribute (SVG can set an `href` to `javascript:`). */
const REMOVED = /^(?:script|object|embed|applet|base|meta|animate|animatemotion|animatetransform|set)$/i

/** A URL that runs or holds code; spaces and controls anywhere in it (which the URL parser skips) do not hide it. */
const CODE_URL = /^(?:javascript|vbscript|data):/i

function clean(root: DocumentFragment, doc: Document): void {
  // (A static list: removing an element does not skip the next.)
  for (const el of root.querySelectorAll('*')) {
    if (REMOVED.test(el.localName)) {
      el.remove()
      continue
    }
    // A nested <template>'s content is a fragment of its own: cleaned too, should a page ever clone it in.
    if (el.localName == 'template') clean((el as HTMLTemplateElement).content, doc)
    for (const { name, value } of [...el.attributes])
      if (
        /^on|^srcdoc$/i.test(name) ||
        CODE_URL.test(value.replace(/[\0- ]/g, '')) ||
        // DOM clobbering: `<img name="cookie">` would shadow `document.cookie`.
        (/^(?:id|name)$/i.test(name) && (value in doc || value in (doc.defaultView || {})))
      )
        el.removeAttribute(name)
  }
}

/**
 * Widget markup (`manager.registerWidget`) made inert before it reaches the page: parsed in a
 * `<template>` (where nothing loads or runs), then cleaned of what could run code or steer the
 * page: the elements above, `on*` handlers, `srcdoc`, any attribute whose value is a
 * `javascript:`, `vbscript:` or `data:` URL, and `id` / `name` values that shadow a property of
 * `document` or `window`. Through the runtime's Trusted Types policy, as every markup sink is.
 */
export function inertMarkup(doc: Document, html: string, tt: TrustedPolicy): DocumentFragment {
  const t = doc.createElement('template')
  t.innerHTML = tt.createHTML(html)
  clean(t.content, doc)
  return t.content
}
