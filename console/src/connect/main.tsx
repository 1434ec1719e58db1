import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api.js';
import { ConnectApp } from './app.js';
import './connect.css';
import { createHost, parseOrigin } from './host.js';

// The session token and the embedding page's origin come in the URL (`/connect?session=…&origin=…`). Both are read
// once and the address bar is cleaned at once, before anything renders or loads: the token then appears in no
// history entry, no Referer and no screenshot of the address bar.
const params = new URLSearchParams(window.location.search);
const token = params.get('session') ?? '';
const origin = parseOrigin(params.get('origin'));
if (params.has('session') || params.has('origin')) {
  window.history.replaceState(null, '', window.location.pathname);
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ConnectApp api={connectApi(token)} host={createHost(origin)} hasToken={token !== ''} />
    </StrictMode>,
  );
}
