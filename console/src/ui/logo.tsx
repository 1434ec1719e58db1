import type { Schemas } from '../api.js';

/** The connector's initials on its colour: never an external image (the CSP allows only this origin's). */
export function ConnectorLogo({ logo, size }: { logo: Schemas['ConnectorSummary']['logo']; size?: 'large' }) {
  return (
    <span
      className={`logo${size === 'large' ? ' logo-large' : ''}`}
      style={{ backgroundColor: logo.color, color: readableOn(logo.color) }}
      aria-hidden="true"
    >
      {logo.initials}
    </span>
  );
}

/** Black or white, whichever contrasts more with a `#rrggbb` background (WCAG relative luminance). */
export function readableOn(hex: string): string {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match?.[1]) return '#ffffff';
  const luminance = relativeLuminance(parseInt(match[1], 16));
  // Contrast with white is 1.05 / (L + 0.05); with the dark text (L + 0.05) / (L_dark + 0.05): pick the larger.
  // Measured against the dark colour actually used, not pure black (#0078d4 reads better in white).
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / (DARK_LUMINANCE + 0.05) ? '#ffffff' : DARK;
}

const DARK = '#111111';

export function relativeLuminance(rgb: number): number {
  const channel = (shift: number) => {
    const c = ((rgb >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

const DARK_LUMINANCE = relativeLuminance(0x111111);
