import { useEffect, useState, type ComponentType } from 'react'
import { Link, usePath } from './router'
import { useRoutePageviews, useZaraz } from './zaraz'

function Home() {
  return (
    <>
      <h1>Relay Goods</h1>
      <p>Mugs and tees for people who move events around. Every page you open here is a pageview.</p>
      <p>
        <Link to="/products">See the products</Link>
      </p>
    </>
  )
}

function Products() {
  const zaraz = useZaraz()
  const [added, setAdded] = useState(false)
  const addToCart = async () => {
    // E-commerce from a component: the standard name and parameters are typed.
    await zaraz.ecommerce('Product Added', { product_id: 'mug-1', name: 'Relay Mug', price: 12, currency: 'EUR', quantity: 1 })
    setAdded(true)
  }
  return (
    <>
      <h1>Products</h1>
      <article>
        <h2>Relay Mug</h2>
        <p>12 EUR</p>
        <button id="add-to-cart" onClick={addToCart}>
          Add to cart
        </button>
        {added && <span id="added"> Added.</span>}
      </article>
      <p>
        {/* A page-scope value: part of every event on this page, gone after the next navigation. */}
        <button id="remember-campaign" onClick={() => zaraz.set('campaign', 'spring-sale', { scope: 'page' })}>
          Remember the campaign for this page
        </button>
      </p>
    </>
  )
}

function About() {
  return (
    <>
      <h1>About</h1>
      <p>
        <a id="team-link" href="#team">
          Meet the team
        </a>
      </p>
      <p className="spacer">We started Relay Goods to ship events, not boxes.</p>
      <section id="team">
        <h2>Team</h2>
        <p>Three people and a collector.</p>
      </section>
    </>
  )
}

function NotFound() {
  return <h1>Not found</h1>
}

const routes: Record<string, { title: string; Page: ComponentType }> = {
  '/': { title: 'Home', Page: Home },
  '/products': { title: 'Products', Page: Products },
  '/about': { title: 'About', Page: About },
}

/** Tracks a custom event from a component, with the page it was clicked on. */
function NewsletterButton() {
  const zaraz = useZaraz()
  const [sent, setSent] = useState(0)
  const subscribe = () => zaraz.track('newsletter_clicked', { placement: 'footer' }).then(() => setSent((n) => n + 1))
  return (
    <button id="newsletter" onClick={subscribe} data-sent={sent}>
      Get the newsletter
    </button>
  )
}

export function App() {
  const path = usePath()
  const { title, Page } = routes[path] ?? { title: 'Not found', Page: NotFound }
  // The title is set in an effect of the render the navigation caused; tagrelay reads the page
  // after the navigation's task, so the pageview carries this title.
  useEffect(() => {
    document.title = `${title} · tagrelay React example`
  }, [title])
  useRoutePageviews(path)
  return (
    <>
      <nav>
        <Link to="/">Home</Link> <Link to="/products">Products</Link> <Link to="/about">About</Link>
      </nav>
      <main>
        <Page />
      </main>
      <footer>
        <NewsletterButton />
      </footer>
    </>
  )
}
