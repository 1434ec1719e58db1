// The direction of imports between the capability folders under src/, enforced by `npm run lint` (ARCHITECTURE.md
// draws it). A folder may import only from the folders listed for it, and a routes module (routes.ts, or a file
// under a routes/ folder) is imported only by the server or by its own capability's routes modules. Tests may cross.
import path from 'node:path';

/** Lowest first: each folder builds on those before it. */
export const layers = {
  core: [],
  vault: ['core'],
  audit: ['core', 'vault'],
  access: ['core', 'vault', 'audit'],
  events: ['core', 'audit'],
  catalog: ['core', 'vault', 'audit', 'access', 'events'],
  connections: ['core', 'vault', 'audit', 'access', 'events', 'catalog'],
  oauth: ['core', 'vault', 'audit', 'access', 'events', 'catalog', 'connections'],
  connect: ['core', 'vault', 'audit', 'access', 'events', 'catalog', 'connections', 'oauth'],
  files: ['core', 'vault', 'audit', 'access', 'events'],
  storage: ['core', 'vault', 'audit', 'access', 'events', 'catalog', 'connections', 'files'],
  sync: ['core', 'vault', 'audit', 'access', 'events', 'catalog', 'connections', 'oauth', 'files', 'storage'],
  webhooks: [
    'core',
    'vault',
    'audit',
    'access',
    'events',
    'catalog',
    'connections',
    'oauth',
    'files',
    'storage',
    'sync',
  ],
  routing: [
    'core',
    'vault',
    'audit',
    'access',
    'events',
    'catalog',
    'connections',
    'oauth',
    'files',
    'storage',
    'sync',
  ],
  server: [
    'core',
    'vault',
    'audit',
    'access',
    'events',
    'catalog',
    'connections',
    'oauth',
    'connect',
    'files',
    'storage',
    'sync',
    'webhooks',
    'routing',
  ],
  cli: ['core', 'vault', 'server'],
};

const isRoutesModule = (rel) => /(^|\/)routes(\.[jt]sx?$|\/)/.test(rel);

/** Where a file sits: its capability folder and its path under src/, or undefined outside src/. */
function place(srcDir, file) {
  const rel = path.relative(srcDir, file).split(path.sep).join('/');
  if (rel.startsWith('..') || !rel.includes('/')) return undefined;
  return { folder: rel.slice(0, rel.indexOf('/')), rel };
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Capability folders import only in the direction ARCHITECTURE.md draws' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    if (/\.test\.tsx?$/.test(file)) return {};
    const srcDir = path.join(context.cwd, 'src');
    const from = place(srcDir, file);
    if (!from) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = place(srcDir, path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      if (!to) return;
      if (to.folder !== from.folder) {
        const allowed = layers[from.folder];
        if (allowed && !allowed.includes(to.folder))
          context.report({
            node,
            message: `src/${from.folder} may not import from src/${to.folder} (allowed: ${allowed.join(', ') || 'none'}); see ARCHITECTURE.md.`,
          });
      }
      if (
        isRoutesModule(to.rel) &&
        from.folder !== 'server' &&
        !(to.folder === from.folder && isRoutesModule(from.rel))
      )
        context.report({
          node,
          message: `${to.rel} is a routes module: only the server (and its own capability’s routes) import it. Move what you need beside the domain code.`,
        });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { direction: rule } };
