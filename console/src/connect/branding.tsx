import { useState } from 'react';
import { readableOn, relativeLuminance } from '../ui/logo.js';
import type { Branding } from './api.js';

const DEFAULT_TEXT = '#1b1f24';

/**
 * The product's colour on the page: `--primary` for buttons and chips (with black or white text, whichever reads
 * better on it) and `--accent` for links and focus rings on white, which falls back to the text colour when the
 * product's colour is too light to read there (WCAG AA, 4.5:1). Set through CSSOM, which the page's CSP allows.
 */
export function applyBranding(branding: Branding): void {
  const root = document.documentElement.style;
  const color = branding.primary_color?.trim() ?? '';
  if (/^#[0-9a-f]{6}$/i.test(color)) {
    root.setProperty('--primary', color);
    root.setProperty('--primary-text', readableOn(color));
    const onWhite = 1.05 / (relativeLuminance(parseInt(color.slice(1), 16)) + 0.05);
    root.setProperty('--accent', onWhite >= 4.5 ? color : DEFAULT_TEXT);
  }
  if (branding.name) document.title = `Connect an account · ${branding.name}`;
}

/** The product's logo (or its name) and, in a popup or an iframe, a Close button. */
export function BrandHeader({
  branding,
  canClose,
  onClose,
}: {
  branding: Branding | undefined;
  canClose: boolean;
  onClose: () => void;
}) {
  const [logoFailed, setLogoFailed] = useState(false);
  const name = branding?.name ?? '';
  const logo = branding?.logo_url && !logoFailed ? branding.logo_url : null;
  return (
    <header className="brand">
      {logo ? (
        <img className="brand-logo" src={logo} alt={name} onError={() => setLogoFailed(true)} />
      ) : (
        <span className="brand-name">{name}</span>
      )}
      {canClose && (
        <button type="button" className="button button-quiet close" aria-label="Close" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      )}
    </header>
  );
}
