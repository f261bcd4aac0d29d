/**
 * How a template value is written into each place it can go. Each output keeps the value data: it
 * holds no character that could end the place it is in or start another one (no `<`, no quote, no
 * raw `&`, no line terminator where one matters), and reads back as the value.
 */
export type Escaper = (value: string) => string

const entity = (c: string) => `&#${c.codePointAt(0)};`

/** HTML text and quoted attribute values. (A CR as a reference stays a CR; NUL becomes U+FFFD, as the parser makes it.) */
export const html: Escaper = (v) => v.replace(/[&<>"'\0\r]/g, entity)

/** An unquoted attribute value: everything but letters, digits, `_` and `.` is a character reference (no space or `>` ends it). */
export const unquoted: Escaper = (v) => v.replace(/[^\w.]/gu, entity)

const unicode = (c: string) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')

/**
 * The text of a JavaScript string (or template literal, or comment): every character but letters,
 * digits, `_` and space is a `\uXXXX` escape, so quotes, backslashes, `<`, `$`, `*`, `/` and line
 * terminators (U+2028 and U+2029 too) can end nothing. JSON reads the same escapes.
 */
export const jsString: Escaper = (v) => v.replace(/[^\w ]/g, unicode)

/** A value in a JavaScript expression: a string literal. */
export const jsValue: Escaper = (v) => `"${jsString(v)}"`

// (TextEncoder: UTF-8, a lone surrogate as U+FFFD; encodeURIComponent would throw on one.)
const percent = (c: string) => Array.from(new TextEncoder().encode(c), (b) => '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase()).join('')

/** A value in a URL's path, query or fragment: one component, every character but unreserved ones percent-encoded. */
export const urlPart: Escaper = (v) => v.replace(/[^\w.~-]/gu, percent)

/** Where a URL that a value starts may go: its scheme, when it has one. */
const SCHEMES = /^(?:https?|mailto|tel)$/i

/** What a URL value becomes when its scheme is not allowed (Closure Templates' choice: it loads and runs nothing). */
export const REFUSED_URL = 'about:invalid#tagrelay'

/**
 * A value that starts a URL: a URL of its own, whose scheme (a `:` before any `/`, `?` or `#`)
 * must be http, https, mailto or tel (so no `javascript:`, `data:`, `vbscript:`); characters a
 * URL cannot hold are percent-encoded (`'`, `(` and `)` too), the rest is kept.
 */
export const urlStart: Escaper = (v) => {
  const scheme = /^([^/?#]*?):/.exec(v)
  if (scheme && !SCHEMES.test(scheme[1])) return REFUSED_URL
  return v.replace(/[^\w.~:/?#[\]@!$&*+,;=%-]/gu, percent)
}
