/**
 * The consent modal: a real `<dialog>` opened with `showModal()` (the rest of the page is inert,
 * focus stays inside, Escape closes) in an open shadow root, so the page's CSS cannot break it and
 * `consent.customCSS` can style it with Zaraz's class names. Styles are `<style>` elements carrying
 * the page's nonce; nothing uses inline `style` attributes. Loaded only when the modal is shown.
 */
import type { Choices } from './cookie'
import type { TrustedPolicy } from '../platform/trusted-types'
import type { ConsentSettings } from './settings'

export interface ModalOptions {
  document: Document
  settings: ConsentSettings
  nonce?: string
  /**
   * The core's Trusted Types policy (`tagrelay`), for the intro's markup: a page allows one policy
   * of that name, so this file cannot make its own.
   */
  _trustedTypes: Pick<TrustedPolicy, 'createHTML'>
  /** Initial state of each purpose's checkbox. */
  checked: Choices
  /** A button was pressed: these are the visitor's choices (the modal then closes). */
  decide(choices: Choices): void
  /** The modal closed (after a choice, with Escape, or through `zaraz.consent.modal = false`). */
  closed(): void
}

export interface ModalHandle {
  close(): void
  /** The checkboxes' state. */
  get(): Choices
  /** Ticks the boxes of the purposes `c` names (others are ignored), as booleans. */
  set(c: Choices): void
}

export interface ModalModule {
  openModal(o: ModalOptions): ModalHandle
}

type Texts = [title: string, acceptAll: string, rejectAll: string, confirm: string, intro: string]

/** Built-in texts (the intro is for a config without one); `consent.buttonTextTranslations` overrides the buttons per language. */
const BUILT_IN: Record<string, Texts> = {
  en: ['Cookie Settings', 'Accept All', 'Reject All', 'Confirm My Choices', 'Choose what this site may use cookies for.'],
  de: ['Cookie-Einstellungen', 'Alle akzeptieren', 'Alle ablehnen', 'Auswahl bestätigen', 'Wählen Sie, wofür diese Website Cookies verwenden darf.'],
  fr: ['Paramètres des cookies', 'Tout accepter', 'Tout refuser', 'Confirmer mes choix', 'Choisissez à quoi ce site peut utiliser des cookies.'],
  es: ['Configuración de cookies', 'Aceptar todo', 'Rechazar todo', 'Confirmar mis opciones', 'Elija para qué puede usar cookies este sitio.'],
  it: ['Impostazioni dei cookie', 'Accetta tutto', 'Rifiuta tutto', 'Conferma le mie scelte', 'Scegli per cosa questo sito può usare i cookie.'],
  nl: ['Cookie-instellingen', 'Alles accepteren', 'Alles weigeren', 'Mijn keuzes bevestigen', 'Kies waarvoor deze site cookies mag gebruiken.'],
  pt: ['Definições de cookies', 'Aceitar tudo', 'Rejeitar tudo', 'Confirmar as minhas escolhas', 'Escolha para que este site pode usar cookies.'],
}

const CSS =
  ':host{all:initial}' +
  '.cf_modal{--padding:24px;box-sizing:border-box;max-width:480px;width:calc(100vw - 2.5em);max-height:calc(100vh - 5em);overflow:hidden;padding:var(--padding);border:0;border-radius:6px;font:16px/1.5 system-ui,sans-serif;background:#fff;color:#111;box-shadow:0 4px 24px #0003}' +
  // The title and the buttons stay in view; the intro and the purposes scroll between them.
  '.cf_modal[open]{display:flex;flex-direction:column}' +
  '.cf_consent-body{flex:1 1 auto;min-height:0;overflow-y:auto;overscroll-behavior:contain}' +
  '#cf_modal_title,.cf_consent-buttons{flex:none}' +
  '.cf_modal::backdrop{background:#0006}' +
  '#cf_modal_title{font-size:24px;font-weight:500;margin:0 0 12px}' +
  '.cf_consent-intro{margin:0 0 12px}' +
  '.cf_consent-container{list-style:none;margin:0;padding:12px 0;border-top:1px solid #ddd}' +
  '.cf_consent-element{display:grid;grid-template-columns:20px 1fr;gap:4px 12px;margin:12px 0}' +
  '.cf_consent-element input{grid-row:1/3;margin:4px 0 0;width:18px;height:18px}' +
  '.cf_consent-element h3{font-size:15px;margin:0}' +
  '.cf_consent-element p{font-size:14px;margin:0}' +
  '.cf_consent-buttons{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:8px;margin:0 calc(-1*var(--padding)) calc(-1*var(--padding));padding:12px var(--padding);background:#eee}' +
  '.cf_button{font:inherit;font-size:15px;padding:6px 16px;border:0;border-radius:5px;background:#0b5fb3;color:#fff;cursor:pointer}' +
  '.cf_button:hover{background:#0a4f96}' +
  '.cf_button:focus-visible,.cf_consent-element input:focus-visible{outline:3px solid #f5a623;outline-offset:2px}' +
  '@media(prefers-color-scheme:dark){.cf_modal{background:#1f1f1f;color:#eee}.cf_consent-container{border-color:#444}.cf_consent-buttons{background:#111}.cf_button{background:#3b8ee0;color:#000}.cf_button:hover{background:#62a6ea}}' +
  '@media(max-width:480px){.cf_modal{--padding:16px;width:100vw}.cf_button{flex-grow:1}}'

/** Picks the text for the page's language: exact, then its primary subtag, the config's default, English, any. */
const pick = <T = string>(t: Record<string, T> | undefined, lang: string, fallback: string): T | '' =>
  t ? t[lang] ?? t[lang.split('-')[0]] ?? t[fallback] ?? t.en ?? Object.values(t)[0] ?? '' : ''

/** The intro is the site owner's HTML: parsed inert, without scripts, frames, event handlers or inline styles. */
function introFragment(doc: Document, html: string, policy: ModalOptions['_trustedTypes']): DocumentFragment {
  const t = doc.createElement('template')
  try {
    // Through the one Trusted Types policy: a page enforcing Trusted Types allows it by name.
    t.innerHTML = policy.createHTML(html)
  } catch {
    // The page refuses our policy: the intro is shown as plain text.
    t.content.textContent = html
  }
  // (A static list: removing an element does not skip the next.)
  for (const el of t.content.querySelectorAll('*')) {
    if (/^(script|style|iframe|frame|object|embed|link|meta|base|form)$/i.test(el.tagName)) {
      el.remove()
      continue
    }
    for (const a of [...el.attributes])
      if (/^on|^style$|^srcdoc$/i.test(a.name) || (/^(href|src|action|xlink:href)$/i.test(a.name) && /^\s*(javascript|data):/i.test(a.value)))
        el.removeAttribute(a.name)
  }
  return t.content
}

export function openModal(o: ModalOptions): ModalHandle {
  const { document: doc, settings, nonce } = o
  const raw = settings.raw
  const def = settings.defaultLanguage
  const pageLang = (doc.documentElement.lang || def).toLowerCase()
  // (English is always there, so this is one of the built-in sets.)
  const builtIn = pick(BUILT_IN, pageLang, def) as Texts
  const buttons = (raw.buttonTextTranslations ?? {}) as Record<string, Record<string, string>>
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string> = {}, text?: string) => {
    const e = doc.createElement(tag)
    for (const k of Object.keys(props)) e.setAttribute(k, props[k])
    if (text != null) e.textContent = text
    return e
  }
  const host = el('div', { 'data-tagrelay-consent': '' })
  const root = host.attachShadow({ mode: 'open' })
  // The built-in styles, then `customCSS` when there is some; the nonce as the property (the browser hides the attribute anyway).
  for (const css of [CSS, raw.customCSS])
    if (typeof css == 'string' && css) {
      const s = el('style', {}, css)
      if (nonce) s.nonce = nonce
      root.append(s)
    }

  const dialog = el('dialog', { class: 'cf_modal', 'aria-labelledby': 'cf_modal_title', lang: pageLang })
  dialog.append(el('h2', { id: 'cf_modal_title' }, builtIn[0]))
  const introTexts = (raw.consentModalIntroHTMLWithTranslations ?? (typeof raw.consentModalIntroHTML == 'string' ? { [def]: raw.consentModalIntroHTML } : undefined)) as
    | Record<string, string>
    | undefined
  const intro = pick(introTexts, pageLang, def)
  const introBox = el('div', { class: 'cf_consent-intro', id: 'cf_consent-intro' })
  if (intro) {
    introBox.append(introFragment(doc, intro, o._trustedTypes))
  } else {
    // A config without an intro still tells the visitor what the choices are about.
    introBox.textContent = builtIn[4]
  }
  dialog.setAttribute('aria-describedby', 'cf_consent-intro')

  const list = el('ul', { class: 'cf_consent-container' })
  const boxes: Record<string, HTMLInputElement> = {}
  settings.ids.forEach((id, i) => {
    const p = settings.purposes[id]
    const li = el('li', { class: 'cf_consent-element' })
    const name = 'purpose-' + i
    const box = el('input', { type: 'checkbox', class: 'cf-checkbox', id: 'checkbox-' + i, 'data-purpose-id': id, 'aria-labelledby': name, 'aria-describedby': name + '-d' })
    box.checked = o.checked[id] === true
    boxes[id] = box
    const label = el('label', { for: box.id })
    label.append(el('h3', { id: name }, pick(p.name, pageLang, def) || id), el('p', { id: name + '-d' }, pick(p.description, pageLang, def)))
    li.append(box, label)
    list.append(li)
  })

  // `get()`: the checkboxes; `get(v)`: every purpose `v`.
  const get = (v?: boolean): Choices => Object.fromEntries(settings.ids.map((id) => [id, v ?? boxes[id].checked]))
  const bar = el('div', { class: 'cf_consent-buttons' })
  // Accept All, Reject All, Confirm My Choices (ids `cf_consent-buttons__accept-all`, `…__reject-all`, `…__save`;
  // classes `cf_button--accept`, `--reject`, `--save`: the id's first 6 letters). They decide all on, all off, the boxes.
  ;['accept_all', 'reject_all', 'confirm_my_choices'].forEach((key, i) => {
    const name = i < 2 ? key.replace('_', '-') : 'save'
    const b = el('button', { type: 'button', class: 'cf_button cf_button--' + name.slice(0, 6), id: 'cf_consent-buttons__' + name }, pick(buttons[key], pageLang, def) || builtIn[i + 1])
    b.addEventListener('click', () => {
      const c = get([true, false][i])
      close()
      o.decide(c)
    })
    bar.append(b)
  })
  const scrolling = el('div', { class: 'cf_consent-body' })
  scrolling.append(introBox, list)
  dialog.append(scrolling, bar)
  root.append(dialog)

  // The browser lets Tab leave a modal dialog for its own UI; keep it cycling inside instead.
  dialog.addEventListener('keydown', (e) => {
    if (e.key != 'Tab') return
    const stops = [...dialog.querySelectorAll<HTMLElement>('input,button,a[href]')]
    const at = stops.indexOf(root.activeElement as HTMLElement)
    const last = stops.length - 1
    // At an end (or from outside the stops): to the other end.
    if (e.shiftKey ? at < 1 : at < 0 || at == last) {
      e.preventDefault()
      stops[e.shiftKey ? last : 0].focus()
    }
  })

  let open = true
  // Escape (the dialog's `cancel`), a button, or `modal = false`: all end here, once.
  dialog.addEventListener('close', () => {
    if (!open) return
    open = false
    host.remove()
    o.closed()
  })
  const close = () => {
    if (!open) return
    if (dialog.open) dialog.close()
    else dialog.dispatchEvent(new Event('close'))
  }

  doc.body.append(host)
  try {
    dialog.showModal()
  } catch {
    // A document that cannot show modal dialogs (not rendered): keep it open as a plain dialog.
    dialog.setAttribute('open', '')
  }

  return {
    close,
    get: () => get(),
    set(c) {
      for (const id of Object.keys(c)) if (settings.ids.includes(id)) boxes[id].checked = !!c[id]
    },
  }
}
