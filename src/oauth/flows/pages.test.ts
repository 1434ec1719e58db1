import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorPage, successPage } from './pages.js';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('callback pages', () => {
  it('the CSP allows exactly the page’s own inline script and style, nothing else', () => {
    const page = successPage({
      origin: 'https://sy.example.test',
      title: 'Connected X',
      flowId: 'oaf_1',
      connectionId: 'conn_1',
    });
    const csp = page.headers['content-security-policy'] as string;
    const scripts = [...page.html.matchAll(/<script>([^<]*)<\/script>/g)].map((m) => m[1] as string);
    const styles = [...page.html.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1] as string);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(csp).toContain(`script-src ${sha(scripts[0] as string)}`);
    expect(csp).toContain(`style-src ${sha(styles[0] as string)}`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('the result for the opener is inert JSON that nothing in it can break out of', () => {
    const page = errorPage({
      origin: 'https://sy.example.test',
      status: 400,
      title: '</script><b>x',
      detail: 'a </script><script>alert(1)</script> "quoted" & more',
      code: 'oauth_refused',
      flowId: '</script>',
    });
    expect(page.status).toBe(400);
    expect(page.html.match(/<\/script>/g)).toHaveLength(2);
    expect(page.html).not.toContain('<b>');
    const json = /<script type="application\/json" id="oauth-result">([^<]*)<\/script>/.exec(page.html)?.[1];
    expect(JSON.parse(json as string)).toEqual({
      message: { type: 'switchyard.oauth', status: 'error', code: 'oauth_refused', flow_id: '</script>' },
      origin: 'https://sy.example.test',
    });
  });
});
