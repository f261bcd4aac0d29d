import type { ArmRule } from './index'
import { describeElement } from './element'

/** The element in the click's path that the rule's CSS selector or XPath expression designates. */
function target(event: Event, selector: string, xpath: boolean, doc: Document): Element | undefined {
  const start = event.target instanceof Element ? event.target : (event.target as Node | null)?.parentElement
  if (!start) return undefined
  if (!xpath) return start.closest(selector) ?? undefined
  const found = doc.evaluate(selector, doc, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null)
  for (let i = 0; i < found.snapshotLength; i++) {
    const node = found.snapshotItem(i)
    if (node instanceof Element && node.contains(start)) return node
  }
  return undefined
}

/**
 * Click listener: one delegated listener on the document, so elements added after load count.
 * With `waitForTags` (ms), a click on a plain same-tab link holds the navigation until the
 * trigger's actions were handed to their tools, or the time is up, then follows the link.
 */
export const armClick: ArmRule = ({ trigger, settings }, ctx) => {
  const selector = String(settings.selector)
  const xpath = settings.type == 'xpath'
  const wait = Number(settings.waitForTags) || 0
  const onClick = (event: Event) => {
    const el = target(event, selector, xpath, ctx.document)
    if (!el) return
    const sent = ctx.fire(trigger, { element: describeElement(el) })
    const mouse = event as MouseEvent
    const link = (event.target as Element).closest?.('a[href]') as HTMLAnchorElement | null
    const plain = !mouse.defaultPrevented && mouse.button === 0 && !mouse.metaKey && !mouse.ctrlKey && !mouse.shiftKey && !mouse.altKey
    if (!wait || !link || !plain || link.hasAttribute('download')) return
    // (A link without a target of its own opens where the page's <base target> says.)
    const opens = link.target || ctx.document.querySelector('base[target]')?.getAttribute('target')
    if (opens && opens != '_self') return
    const href = link.href
    if (!href || /^(javascript|mailto|tel):/i.test(href)) return
    mouse.preventDefault()
    let gone = false
    const go = () => {
      if (gone) return
      gone = true
      ctx.window.location.assign(href)
    }
    ctx.clock.setTimeout(go, wait)
    sent.then(go, go)
  }
  ctx.document.addEventListener('click', onClick)
  return () => ctx.document.removeEventListener('click', onClick)
}
