// A single-page app on the plain History API, no framework. Links marked data-route push a
// history entry and render the route; the back and forward buttons fire popstate; a link to
// "#faq" is an ordinary fragment link. tagrelay (historyChange: true) sees each new URL and sends
// one pageview for it, with this page's title and the previous URL as the referrer.

const routes = {
  '/': {
    title: 'Home',
    html: '<h1>Relay Cloud</h1><p>Event routing for teams. <a href="/pricing" data-route>See pricing</a>.</p>',
  },
  '/pricing': {
    title: 'Pricing',
    html:
      '<h1>Pricing</h1>' +
      '<p><button id="sort-price" type="button">Sort by price</button> ' +
      '<button id="refresh" type="button">Refresh the list</button> ' +
      '<button id="remember-plan" type="button">Remember the plan for this page</button></p>' +
      '<ul id="plans"><li>Team: 20 EUR</li><li>Starter: 0 EUR</li></ul>',
  },
  '/docs': {
    title: 'Docs',
    html:
      '<h1>Docs</h1><p><a id="faq-link" href="#faq">Jump to the FAQ</a></p>' +
      '<p class="tall">Install the snippet, paste the config, ship.</p>' +
      '<h2 id="faq">FAQ</h2><p>Does a hash link count as a pageview? With historyChange, yes: the URL changed.</p>',
  },
}

let shown = ''

function render() {
  const route = routes[location.pathname] || { title: 'Not found', html: '<h1>Not found</h1>' }
  // The title is set in the same task as the navigation: tagrelay checks the URL after that task,
  // so the pageview carries the new title.
  document.title = route.title + ' · tagrelay history-API example'
  const view = document.getElementById('view')
  // A fragment link fires popstate too: keep the page (and its scroll position) when only the hash changed.
  if (!view || shown == location.pathname + location.search) return
  shown = location.pathname + location.search
  view.innerHTML = route.html
}

function navigate(url, replace) {
  if (replace) history.replaceState(null, '', url)
  else history.pushState(null, '', url)
  render()
}

document.addEventListener('click', (e) => {
  const link = e.target instanceof Element && e.target.closest('a[data-route]')
  if (link && e.button == 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey) {
    e.preventDefault()
    if (link.getAttribute('href') != location.pathname + location.search) navigate(link.getAttribute('href'))
    return
  }
  const id = e.target instanceof Element && e.target.id
  // replaceState to a new URL (a sort order in the query) is a pageview of that URL...
  if (id == 'sort-price') navigate('/pricing?sort=price', true)
  // ...and replaceState that keeps the URL (saving state) is not.
  if (id == 'refresh') history.replaceState({ refreshed: Date.now() }, '', location.href)
  // A page-scope value: merged into every event on this page, cleared by the next navigation.
  if (id == 'remember-plan') zaraz.set('plan', 'team', { scope: 'page' })
  if (id == 'track-cta') zaraz.track('cta_clicked', { cta: 'sales' })
})

// Back and forward (and fragment navigations): render whatever the URL is now.
window.addEventListener('popstate', render)

// This file runs in <head>: the title now, the view once the body is there.
render()
document.addEventListener('DOMContentLoaded', render)
