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

export function describeElement(el: Element): ElementInfo {
  const attributes: Record<string, string> = {}
  for (const a of Array.from(el.attributes)) if (a.name != '__proto__') attributes[a.name] = a.value
  const text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 256)
  return {
    tagName: el.tagName.toLowerCase(),
    id: el.id,
    className: typeof el.className == 'string' ? el.className : el.getAttribute('class') || '',
    text,
    href: (el as HTMLAnchorElement).href && typeof (el as HTMLAnchorElement).href == 'string' ? (el as HTMLAnchorElement).href : '',
    attributes,
  }
}
