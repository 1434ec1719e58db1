import type { RouteDef } from './route.js';

/**
 * Which methods a concrete path supports, for `405 Method Not Allowed` with an `Allow` header. Fastify answers
 * 404 for a known path with the wrong method; we look the path up against every declared route template.
 */
export function allowedMethodsFor(routes: Pick<RouteDef, 'method' | 'url'>[]): (path: string) => string[] {
  const compiled = routes.map((r) => ({ method: r.method, pattern: templateToRegExp(r.url) }));
  return (path) => {
    const methods = new Set<string>();
    for (const { method, pattern } of compiled) if (pattern.test(path)) methods.add(method);
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}

function templateToRegExp(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}
