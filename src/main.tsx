// first: configures zod before any module parses with it (strictCsp.ts says why)
import './ui/strictCsp.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';
import { preloadLazyParts } from './ui/lazyParts.tsx';
import './ui/styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// once the first screen is up, fetch what showing a slide needs (lazyParts.tsx)
const idle = (f: () => void) => ('requestIdleCallback' in window ? requestIdleCallback(f, { timeout: 2000 }) : setTimeout(f, 200));
idle(preloadLazyParts);
