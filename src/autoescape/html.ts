import { html, jsString, jsValue, unquoted, urlPart, urlStart, type Escaper } from './escapers'
import { jsScanner, type JsScanner } from './js'

/**
 * Reads a template's literal text around its holes as the browser's HTML parser would (enough of
 * it to know where each hole is), and gives each hole the escaper for its place, or the words of
 * why no escaping makes a value safe there. The literal text is the config author's; values never
 * change where the parser is, since every escaper keeps them data.
 */
export interface Scanner {
  read(text: string): void
  hole(): Escaper | string
}

type State =
  | 'text'
  | 'rcdata' // <textarea>, <title>: text up to their end tag, character references decoded
  | 'rawtext' // <xmp>, <iframe>, <noembed>, <noframes>, <plaintext>: text up to their end tag
  | 'script'
  | 'style'
  | 'tagOpen' // after `<`
  | 'endTagOpen' // after `</`
  | 'tagName'
  | 'beforeAttr'
  | 'attrName'
  | 'afterAttrName'
  | 'beforeValue'
  | 'value'
  | 'afterValue'
  | 'comment'
  | 'bogus' // `<!…>`, `<?…>`: up to `>`

const SPACE = /[\t\n\f\r ]/
const RAW = new Map<string, State>([
  ['script', 'script'],
  ['style', 'style'],
  ['textarea', 'rcdata'],
  ['title', 'rcdata'],
  ['xmp', 'rawtext'],
  ['iframe', 'rawtext'],
  ['noembed', 'rawtext'],
  ['noframes', 'rawtext'],
  ['plaintext', 'rawtext'],
  // Text up to its end tag when the parser runs scripts, markup when not: read both ways (below).
  ['noscript', 'rawtext'],
])

/** Elements whose attributes steer the whole page or animate other attributes (SVG `<animate attributeName="href">`): no values in them. */
const NO_VALUES = /^(?:base|meta|animate|animatemotion|animatetransform|set)$/
/** Elements that load code or a document from a URL: a value cannot start it (it would choose the origin). */
const RESOURCES = /^(?:script|link|i?frame|object|embed|applet|portal)$/
/** Attributes whose value is a URL (Go's html/template list, and names with src, uri or url in them). */
const URL_ATTRS = /^(?:action|archive|background|cite|classid|codebase|data|formaction|href|icon|longdesc|manifest|ping|poster|profile|usemap|xmlns)$|src|ur[il]/
/** Attributes holding CSS, HTML or URL lists: no escaping this scanner does keeps a value data there. */
const REFUSED_ATTRS = /^(?:style|srcdoc)$|srcset$/

/** The character references that matter to where JavaScript or a URL scheme is (the rest never make a quote, backslash, slash, colon or line break). */
const NAMED = new Map(
  Object.entries({
    quot: '"', QUOT: '"', apos: "'", amp: '&', AMP: '&', lt: '<', LT: '<', gt: '>', GT: '>', grave: '`', DiacriticalGrave: '`',
    bsol: '\\', sol: '/', colon: ':', Tab: '\t', NewLine: '\n', ast: '*', midast: '*', num: '#', quest: '?', lpar: '(', rpar: ')',
  }),
)
/** References the parser reads without their `;` (in attribute values: unless a letter, digit or `=` follows). */
const LEGACY = /^(?:amp|AMP|lt|LT|gt|GT|quot|QUOT)$/

/** An attribute value's text as the parser hands it on (the references above decoded). */
export const decode = (s: string) =>
  s.replace(/&(?:#(?:[xX]([\da-fA-F]+)|(\d+))|([A-Za-z]+))(;?)(?=([\w=]?))/g, (ref, hex: string, dec: string, name: string, semi: string, after: string) => {
    if (name) return NAMED.has(name) && (semi || (LEGACY.test(name) && !after)) ? NAMED.get(name)! : ref
    const n = hex ? parseInt(hex, 16) : +dec
    return n > 0 && n < 0x110000 && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : '\ufffd'
  })

const WHY = {
  name: 'is in a tag or attribute name',
  unquoted: 'starts an unquoted attribute value (an empty value would let the next attribute become it): quote the attribute',
  comment: 'is in an HTML comment or declaration',
  style: 'is in CSS (a <style> element)',
  reference: 'follows "&" (it could complete a character reference)',
  tag: 'follows "<" (it could complete a tag)',
  regex: 'is in a JavaScript regular expression',
  backslash: 'follows a backslash in a JavaScript string',
  scriptComment: 'comes after "<!--" in a <script> (the parser may not end the script where it seems to)',
  ambiguous: 'is in a <noscript>, or in a <script>, <style>, <title>… inside <svg> or <math>, whose text the parser may read as markup',
  ambiguousBefore: 'comes after markup the parser may read two ways (a <noscript>, or a <script>, <style>, <title>… inside <svg> or <math>, holding "<" or "&"; or a CDATA section)',
  scheme: 'is in a javascript:, vbscript: or data: URL',
}

/** The escaper for a hole in JavaScript (a script's text, or an event handler's before `then`, its attribute's escaping). */
function jsHole(js: JsScanner, last: string, then: Escaper = (v) => v): Escaper | string {
  const place = js.place()
  if (place == 'regex') return WHY.regex
  if (place == 'escaped') return WHY.backslash
  // A value in a string or comment may be empty: the text around it must not make `</script` or `<!--` then.
  if (place != 'expression' && /<(?:!-?|\/[a-z]*)?$/i.test(last)) return WHY.tag
  js.hole()
  return place == 'expression' ? (v) => then(jsValue(v)) : (v) => then(jsString(v))
}

/** The escaper for a hole in a URL whose literal text so far is `before`; `resource`: the URL loads code or a document. */
export function urlHole(before: string, resource: string | undefined, then: Escaper = (v) => v): Escaper | string {
  // (The URL parser drops tabs and line breaks anywhere, and leading spaces and controls.)
  const literal = before.replace(/[\t\n\r]/g, '')
  if (/^[\0- ]*(?:javascript|vbscript|data):/i.test(literal)) return WHY.scheme
  if (/[^\0- ]/.test(literal)) return (v) => then(urlPart(v))
  if (resource) return `starts the URL a <${resource}> loads (it would choose where code comes from)`
  return (v) => then(urlStart(v))
}

export function htmlScanner(): Scanner {
  let state: State = 'text'
  /** The current tag's name, or the element whose text we are in (lowercase). */
  let tag = ''
  let endTag = false
  /** The current attribute's name (lowercase), its value's quote (`''`: unquoted), its literal text so far (holes left out). */
  let attr = ''
  let quote = ''
  let value = ''
  /** A script's JavaScript, or an event handler's; `pending`: the handler's text not read by it yet (references decoded first). */
  let js: JsScanner | undefined
  let pending = ''
  /** The literal text right before the next hole. */
  let last = ''
  /** Why no later place is known, once the parser may read what came before two ways (sticky). */
  let lost: string | undefined
  /** How many <svg> and <math> elements are open: their content is foreign, without raw text elements. */
  let foreign = 0
  /** The tag ends with `/>` (which closes a foreign element, such as `<svg/>`). */
  let selfClosing = false
  /**
   * The raw text element we are in is one the parser may read as markup: `<noscript>` (markup
   * where scripts do not run), any inside <svg> or <math> (where some are integration points).
   * Both readings agree only while its text holds no `<` or `&`, and no hole.
   */
  let ambiguous = false

  const openTag = () => {
    const svgOrMath = /^(?:svg|math)$/.test(tag)
    if (endTag && svgOrMath && foreign) foreign--
    if (!endTag && svgOrMath && !selfClosing) foreign++
    state = endTag ? 'text' : RAW.get(tag) ?? 'text'
    ambiguous = state != 'text' && (tag == 'noscript' || foreign > 0)
    if (state == 'script') js = jsScanner()
  }
  // `data-src` is a URL and `data-onclick` a handler, as Go's html/template reads them; `xlink:href` is `href`.
  const attrType = () => attr.replace(/^data-|^[^:]*:/, '')
  const startValue = (q: string) => {
    state = 'value'
    quote = q
    value = ''
    pending = ''
    js = /^on/.test(attrType()) ? jsScanner() : undefined
  }

  const inRawText = () => state == 'script' || state == 'style' || state == 'rcdata' || state == 'rawtext'

  const read = (text: string) => {
    last = text
    for (let i = 0; i < text.length; ) {
      if (inRawText()) {
        // Text up to the element's end tag, whatever it holds (a string, a comment).
        const end = text.slice(i).search(new RegExp(`</${tag}(?:[\\t\\n\\f\\r />]|$)`, 'i'))
        const inside = end < 0 ? text.slice(i) : text.slice(i, i + end)
        if (ambiguous && /[<&]/.test(inside)) lost = WHY.ambiguousBefore
        if (state == 'script') {
          if (inside.includes('<!--')) lost = WHY.scriptComment
          js!.read(inside)
        }
        if (end < 0) break
        i += end + 2 + tag.length
        state = 'tagName'
        endTag = true
        continue
      }
      const c = text[i++]
      if (/^(?:tagName|beforeAttr|attrName|afterAttrName|afterValue)$/.test(state) && c != '>') selfClosing = c == '/'
      switch (state) {
        case 'text':
          if (c == '<') state = 'tagOpen'
          break
        case 'tagOpen':
        case 'endTagOpen':
          if (/[a-z]/i.test(c)) {
            endTag = state == 'endTagOpen'
            tag = c.toLowerCase()
            selfClosing = false
            state = 'tagName'
          } else if (state == 'endTagOpen') state = c == '>' ? 'text' : 'bogus'
          else if (c == '/') state = 'endTagOpen'
          else if (c == '!' && foreign && text.startsWith('[CDATA[', i)) {
            // A CDATA section (foreign content only) ends at `]]>`, not at the first `>`.
            lost = WHY.ambiguousBefore
            state = 'bogus'
          } else if (c == '!' && text.startsWith('--', i)) {
            state = 'comment'
            i += 2
          } else if (c == '!' || c == '?') state = 'bogus'
          else {
            // A `<` that starts no tag is text.
            state = 'text'
            i--
          }
          break
        case 'tagName':
          if (c == '>') openTag()
          else if (SPACE.test(c) || c == '/') state = 'beforeAttr'
          else tag += c.toLowerCase()
          break
        case 'beforeAttr':
        case 'afterAttrName':
        case 'afterValue':
          if (c == '>') openTag()
          else if (c == '=' && state == 'afterAttrName') state = 'beforeValue'
          else if (!SPACE.test(c) && c != '/') {
            state = 'attrName'
            attr = c.toLowerCase()
          } else state = 'beforeAttr'
          break
        case 'attrName':
          if (c == '>') openTag()
          else if (c == '=') state = 'beforeValue'
          else if (SPACE.test(c) || c == '/') state = 'afterAttrName'
          else attr += c.toLowerCase()
          break
        case 'beforeValue':
          if (c == '>') openTag()
          else if (c == '"' || c == "'") startValue(c)
          else if (!SPACE.test(c)) {
            startValue('')
            i--
          }
          break
        case 'value':
          if (quote ? c == quote : SPACE.test(c) || c == '>') {
            state = quote ? 'afterValue' : 'beforeAttr'
            if (c == '>') openTag()
          } else {
            value += c
            pending += c
          }
          break
        case 'comment':
          if (c == '-' && /^-!?>/.test(text.slice(i))) {
            i = text.indexOf('>', i) + 1
            state = 'text'
          }
          break
        case 'bogus':
          if (c == '>') state = 'text'
      }
    }
  }

  const valueHole = (): Escaper | string => {
    if (/&[#\w]*$/.test(last)) return WHY.reference
    if (NO_VALUES.test(tag)) return `is in a <${tag}> tag`
    if (!quote && !value) return WHY.unquoted
    const name = attrType()
    if (REFUSED_ATTRS.test(name)) return `is in a ${name} attribute (CSS, HTML or a list of URLs)`
    const then = quote ? html : unquoted
    if (js) {
      js.read(decode(pending))
      pending = ''
      return jsHole(js, '', then)
    }
    if (URL_ATTRS.test(name) || attr.startsWith('xmlns:')) return urlHole(decode(value), RESOURCES.test(tag) ? tag : undefined, then)
    return then
  }

  return {
    read,
    hole() {
      if (lost) return lost
      if (ambiguous && inRawText()) return WHY.ambiguous
      switch (state) {
        case 'text':
        case 'rcdata':
        case 'rawtext':
          if (/&[#\w]*$/.test(last)) return WHY.reference
          // (In text a `<` is a tag open already; in a <textarea> a value could end it: `<` + `/textarea`.)
          return /<\/?[a-z]*$/i.test(last) ? WHY.tag : html
        case 'script':
          return jsHole(js!, last)
        case 'value':
          return valueHole()
        case 'style':
          return WHY.style
        case 'comment':
        case 'bogus':
          return WHY.comment
        case 'beforeValue':
          return WHY.unquoted
        default:
          return WHY.name
      }
    },
  }
}
