// Renderer entry: mounts the app. Runs in the sandboxed window with no Node; everything it may do
// goes through `window.localpost` (see bridge.ts).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/features.css';
import './styles/calendar.css';
import './styles/composerInput.css';
import './styles/previews.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
