// The demo shop's behaviour. Loaded as a same-origin file (the CSP forbids inline handlers):
// every button talks to window.zaraz, and every call is shown with what its promise resolved to.
(function () {
  'use strict'

  var demo = (window.tagrelayDemo = window.tagrelayDemo || { calls: [], listeners: [] })
  var CURRENCY = 'EUR'
  var TAX_RATE = 0.2
  var FREE_SHIPPING_FROM = 50
  var SHIPPING = 4.9

  var PRODUCTS = [
    { product_id: 'sku-1', sku: 'RG-TEE-BLK-M', name: 'Relay Tee', category: 'Apparel', brand: 'Relay Goods', variant: 'Black / M', price: 24 },
    { product_id: 'sku-2', sku: 'RG-MUG-350', name: 'Signal Mug', category: 'Kitchen', brand: 'Relay Goods', variant: '350 ml', price: 12.5 },
    { product_id: 'sku-3', sku: 'RG-CAP-NVY', name: 'Beacon Cap', category: 'Apparel', brand: 'Relay Goods', variant: 'Navy', price: 18 },
  ]

  var cart = [] // [{ product, quantity }]
  var checkoutCount = 0
  var orderCount = 0
  var currentCheckoutId = null

  function $(id) {
    return document.getElementById(id)
  }
  function round2(n) {
    return Math.round(n * 100) / 100
  }
  function money(n) {
    return '€' + n.toFixed(2)
  }
  function el(tag, className, text) {
    var node = document.createElement(tag)
    if (className) node.className = className
    if (text != null) node.textContent = text
    return node
  }
  function snapshot(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
  }

  // Calls zaraz[method](...args) and records it for the log. A throw becomes a rejected entry,
  // so a broken runtime shows up on the page instead of stopping the shop.
  function call(method, args) {
    var before = snapshot(args)
    var result
    try {
      var fn = window.zaraz && window.zaraz[method]
      if (typeof fn !== 'function') throw new TypeError('window.zaraz.' + method + ' is not a function')
      result = fn.apply(window.zaraz, args)
    } catch (error) {
      result = Promise.reject(error)
    }
    var entry = demo.remember('zaraz.' + method, result, before)
    entry.passed = args // the caller's own objects, to check the runtime did not mutate them
    return entry
  }

  // --- products --------------------------------------------------------------------------------

  function productParams(product, position) {
    return {
      product_id: product.product_id,
      sku: product.sku,
      name: product.name,
      category: product.category,
      brand: product.brand,
      variant: product.variant,
      price: product.price,
      currency: CURRENCY,
      position: position,
    }
  }

  function renderProducts() {
    var list = $('products')
    PRODUCTS.forEach(function (product, index) {
      var item = el('li', 'product')
      var art = el('div', 'product-art product-art-' + (index + 1))
      art.setAttribute('aria-hidden', 'true')
      art.textContent = product.name.charAt(0)
      item.appendChild(art)
      item.appendChild(el('h3', 'product-name', product.name))
      item.appendChild(el('p', 'product-meta', product.category + ' · ' + product.variant))
      item.appendChild(el('p', 'product-price', money(product.price)))
      var actions = el('div', 'product-actions')
      var view = el('button', null, 'View')
      view.type = 'button'
      view.id = 'view-' + product.product_id
      view.addEventListener('click', function () {
        call('ecommerce', ['Product Viewed', productParams(product, index + 1)])
      })
      var add = el('button', 'primary', 'Add to cart')
      add.type = 'button'
      add.id = 'add-' + product.product_id
      add.addEventListener('click', function () {
        addToCart(product, index + 1)
      })
      actions.appendChild(view)
      actions.appendChild(add)
      item.appendChild(actions)
      list.appendChild(item)
    })
  }

  // --- cart ------------------------------------------------------------------------------------

  function addToCart(product, position) {
    var line = cart.filter(function (l) {
      return l.product === product
    })[0]
    if (line) line.quantity += 1
    else cart.push({ product: product, quantity: 1 })
    var params = productParams(product, position)
    params.quantity = 1
    call('ecommerce', ['Product Added', params])
    $('order-status').textContent = ''
    renderCart()
  }

  function totals() {
    var subtotal = round2(
      cart.reduce(function (sum, l) {
        return sum + l.product.price * l.quantity
      }, 0),
    )
    var shipping = subtotal === 0 || subtotal >= FREE_SHIPPING_FROM ? 0 : SHIPPING
    var tax = round2(subtotal * TAX_RATE)
    return { subtotal: subtotal, shipping: shipping, tax: tax, total: round2(subtotal + shipping + tax) }
  }

  function cartProducts() {
    return cart.map(function (l) {
      return {
        product_id: l.product.product_id,
        sku: l.product.sku,
        name: l.product.name,
        category: l.product.category,
        brand: l.product.brand,
        variant: l.product.variant,
        price: l.product.price,
        quantity: l.quantity,
      }
    })
  }

  function renderCart() {
    var list = $('cart-lines')
    list.textContent = ''
    cart.forEach(function (l) {
      var li = el('li', 'cart-line')
      li.appendChild(el('span', 'cart-line-name', l.quantity + ' × ' + l.product.name))
      li.appendChild(el('span', 'cart-line-price', money(round2(l.product.price * l.quantity))))
      list.appendChild(li)
    })
    var t = totals()
    $('cart-empty').hidden = cart.length > 0
    $('cart-subtotal').textContent = money(t.subtotal)
    $('cart-shipping').textContent = t.shipping === 0 && t.subtotal > 0 ? 'free' : money(t.shipping)
    $('cart-tax').textContent = money(t.tax)
    $('cart-total').textContent = money(t.total)
    $('checkout').disabled = cart.length === 0
    $('place-order').disabled = cart.length === 0 || currentCheckoutId === null
  }

  function checkout() {
    if (cart.length === 0) return
    checkoutCount += 1
    currentCheckoutId = 'co-' + checkoutCount
    var t = totals()
    call('ecommerce', [
      'Checkout Started',
      { checkout_id: currentCheckoutId, value: t.subtotal, currency: CURRENCY, products: cartProducts() },
    ])
    renderCart()
  }

  function placeOrder() {
    if (cart.length === 0 || currentCheckoutId === null) return
    orderCount += 1
    var t = totals()
    var orderId = 'RG-' + (1000 + orderCount)
    call('ecommerce', [
      'Order Completed',
      {
        checkout_id: currentCheckoutId,
        order_id: orderId,
        affiliation: 'Relay Goods web',
        total: t.total,
        revenue: t.subtotal,
        shipping: t.shipping,
        tax: t.tax,
        currency: CURRENCY,
        products: cartProducts(),
      },
    ])
    cart = []
    currentCheckoutId = null
    renderCart()
    $('order-status').textContent = 'Thank you! Order ' + orderId + ' placed.'
  }

  // --- signup ----------------------------------------------------------------------------------

  function signup(event) {
    event.preventDefault()
    var form = event.currentTarget
    var plan = form.elements.namedItem('plan').value
    var newsletter = form.elements.namedItem('newsletter').checked
    var entry = call('track', ['signup', { plan: plan, newsletter: newsletter }])
    var button = $('signup-submit')
    button.disabled = true
    button.textContent = 'Signed up ✓'
    return entry
  }

  // --- consent and debug mode -------------------------------------------------------------------

  // The config's own debugKey (the page's #zaraz-config), so the link works for whatever key it holds.
  function debugKey() {
    try {
      return JSON.parse($('zaraz-config').textContent).debugKey || ''
    } catch (error) {
      return ''
    }
  }
  function debugging() {
    return document.cookie.split('; ').indexOf('zarazDebug=' + debugKey()) >= 0
  }
  function setUpDemoLinks() {
    var debugLink = $('debug-link')
    if (debugging()) debugLink.textContent = 'stop debugging'
    debugLink.title = debugging() ? 'zaraz.debug(): leave debug mode' : "zaraz.debug('" + debugKey() + "'): show the debugger panel"
    debugLink.addEventListener('click', function (event) {
      event.preventDefault()
      // zaraz.debug(key) sets the zarazDebug cookie and reloads; zaraz.debug() clears it.
      call('debug', debugging() ? [] : [debugKey()])
    })
    $('consent-link').addEventListener('click', function (event) {
      event.preventDefault()
      call('showConsentModal', [])
    })
  }

  // --- call log --------------------------------------------------------------------------------

  function describeArgs(args) {
    return (args || [])
      .map(function (a) {
        return typeof a === 'string' ? "'" + a + "'" : JSON.stringify(a)
      })
      .join(', ')
  }

  var rows = []
  function renderLogEntry(entry) {
    var index = demo.calls.indexOf(entry)
    var row = rows[index]
    if (!row) {
      row = el('li', 'call')
      row.appendChild(el('code', 'call-expr'))
      row.appendChild(el('span', 'call-state'))
      row.appendChild(el('code', 'call-result'))
      rows[index] = row
      $('call-log').appendChild(row)
    }
    var expr = entry.label + '(' + describeArgs(entry.args) + ')'
    row.children[0].textContent = expr.length > 160 ? expr.slice(0, 159) + '…' : expr
    row.children[1].textContent = entry.state
    row.children[1].className = 'call-state state-' + entry.state
    row.children[2].textContent =
      entry.state === 'resolved' ? '→ ' + JSON.stringify(entry.value) : entry.state === 'rejected' ? '✗ ' + entry.error : ''
  }

  function init() {
    renderProducts()
    renderCart()
    $('checkout').addEventListener('click', checkout)
    $('place-order').addEventListener('click', placeOrder)
    $('signup-form').addEventListener('submit', signup)
    setUpDemoLinks()
    demo.calls.forEach(renderLogEntry)
    demo.listeners.push(renderLogEntry)
    document.documentElement.setAttribute('data-shop-ready', 'true')
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init)
  else init()
})()
