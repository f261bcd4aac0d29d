import { put } from '../lib/object'

/** What templates can read of an element a rule fired on: `{{ client.element.text }}` and the like. */
export interface ElementInfo {
  tagName: string
  id: string
  className: string
  /** Visible text, whitespace folded, at most 256 characters. */
  text: string
  href: string
  attributes: Record<string, string>
}

/**
 * Field values are never read, also where a framework mirrors them into the DOM (React keeps a
 * controlled `<textarea>`'s text and an `<input>`'s `value` attribute equal to what was typed):
 * text inside a textarea is left out, and so is the `value` of an input that is not a button,
 * checkbox or radio.
 */
export function describeElement(el: Element): ElementInfo {
  const attributes: Record<string, string> = {}
  const typed = el.tagName == 'INPUT' && !/^(button|submit|reset|image|checkbox|radio)$/.test((el as HTMLInputElement).type)
  for (const a of Array.from(el.attributes)) if (a.name != '__proto__' && !(typed && a.name == 'value')) put(attributes, a.name, a.value)
  let raw = ''
  const walk = el.ownerDocument.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */)
  while (walk.nextNode()) if (walk.currentNode.parentElement?.tagName != 'TEXTAREA') raw += walk.currentNode.nodeValue
  const text = raw.replace(/\s+/g, ' ').trim().slice(0, 256)
  return {
    tagName: el.tagName.toLowerCase(),
    id: el.id,
    className: typeof el.className == 'string' ? el.className : el.getAttribute('class') || '',
    text,
    href: (el as HTMLAnchorElement).href && typeof (el as HTMLAnchorElement).href == 'string' ? (el as HTMLAnchorElement).href : '',
    attributes,
  }
}
