import type { ESLint } from 'eslint';

export declare const layers: Record<string, string[]>;
declare const plugin: ESLint.Plugin;
export default plugin;
