import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { ZarazProvider } from './zaraz'
import './app.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ZarazProvider>
      <App />
    </ZarazProvider>
  </StrictMode>,
)
