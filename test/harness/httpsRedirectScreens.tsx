// The renderer's own components for an https-redirect developer app, on a page of their own: no
// platform registers such a redirect yet, so the app has no screen that shows them. The bridge is
// the preload's buildApi over the page bindings (pageBridge.ts), imported first so the store finds it.
import './pageBridge';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PasteSignInFallback } from '../../src-renderer/features/accounts/PasteSignInFallback';
import { DeveloperAppSettings } from '../../src-renderer/features/settings/DeveloperAppSettings';
import { developerAppSpecs, type DeveloperAppSpec } from '../../src-shared/developerApps';
import '../../src-renderer/styles/theme.css';
import '../../src-renderer/styles/base.css';
import '../../src-renderer/styles/layout.css';
import '../../src-renderer/styles/features.css';

/** X's app as an https-redirect one, as Meta's will be (the store keys apps by platform id). */
const spec: DeveloperAppSpec = {
  ...developerAppSpecs.x,
  redirect: { kind: 'httpsLoopbackPort', defaultPort: 53682, path: '/callback', registerAs: 'Valid OAuth Redirect URI' },
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <main style={{ maxWidth: 760, margin: '1rem auto' }}>
      <section className="card panel" id="settings-screen">
        <DeveloperAppSettings spec={spec} titleId="settings-title" />
      </section>
      <section className="card panel connect-form" id="connect-screen">
        <PasteSignInFallback httpsLanding />
      </section>
    </main>
  </StrictMode>,
);
