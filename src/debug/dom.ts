/** Builds the panel's elements with DOM calls only (no HTML strings: CSP and Trusted Types safe). */
export type Child = Node | string | undefined | false

/** An element with its attributes and children; `undefined` and `false` children are left out. */
export function el(doc: Document, tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = doc.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value)
  for (const child of children) {
    if (child !== undefined && child !== false) element.append(child)
  }
  return element
}
