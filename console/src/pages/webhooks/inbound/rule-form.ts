import { headerProblems, headersPayload, initialHeaders, type HeadersState } from '../shared/header-editor.js';
import type { Source } from './schemes.js';

type PresentedRule = Source['rules'][number];
type PresentedAction = PresentedRule['actions'][number];
export type ActionType = PresentedAction['type'];

/** An action as the form edits it: every type's fields, the chosen type's are sent. */
export type ActionForm = {
  key: number;
  type: ActionType;
  event_type: string;
  url: string;
  timeout_ms: string;
  /** The forward action's headers as saved (names only); kept unless replaced. */
  header_names: string[];
  headers: HeadersState;
  sync_id: string;
  full_refresh: boolean;
};

export type RuleForm = {
  key: number;
  name: string;
  /** Comma-separated, as typed. */
  event_types: string;
  condition: string;
  continue: boolean;
  actions: ActionForm[];
};

let nextKey = 1;

export function newAction(type: ActionType = 'publish'): ActionForm {
  return {
    key: nextKey++,
    type,
    event_type: '',
    url: '',
    timeout_ms: '10000',
    header_names: [],
    headers: initialHeaders([]),
    sync_id: '',
    full_refresh: false,
  };
}

export function newRule(index: number): RuleForm {
  return {
    key: nextKey++,
    name: `Rule ${index + 1}`,
    event_types: '',
    condition: '',
    continue: false,
    actions: [newAction()],
  };
}

function actionForm(a: PresentedAction): ActionForm {
  const base = newAction(a.type);
  if (a.type === 'publish') return { ...base, event_type: a.event_type };
  if (a.type === 'run_sync') return { ...base, sync_id: a.sync_id, full_refresh: a.full_refresh };
  return {
    ...base,
    url: a.url,
    timeout_ms: String(a.timeout_ms),
    header_names: a.header_names,
    headers: initialHeaders(a.header_names),
  };
}

export const rulesForm = (rules: Source['rules']): RuleForm[] =>
  rules.map((r) => ({
    key: nextKey++,
    name: r.name,
    event_types: r.event_types.join(', '),
    condition: r.condition ?? '',
    continue: r.continue,
    actions: r.actions.map(actionForm),
  }));

/**
 * The rules as the API takes them. A forward action whose headers were left alone omits `headers`: the API keeps
 * those of the same action (same rule name, position and URL).
 */
export function rulesPayload(rules: RuleForm[]) {
  return rules.map((r) => ({
    name: r.name.trim(),
    event_types: r.event_types
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    condition: r.condition.trim() || null,
    continue: r.continue,
    actions: r.actions.map((a) => {
      if (a.type === 'publish') return { type: 'publish' as const, event_type: a.event_type };
      if (a.type === 'run_sync') return { type: 'run_sync' as const, sync_id: a.sync_id, full_refresh: a.full_refresh };
      const headers = headersPayload(a.headers);
      return {
        type: 'forward' as const,
        url: a.url.trim(),
        timeout_ms: Number(a.timeout_ms),
        ...(headers ? { headers } : {}),
      };
    }),
  }));
}

/** Header rows with a name and no value, per action key: checked before anything is sent. */
export function localProblems(rules: RuleForm[]): Map<number, Map<number, string>> {
  const out = new Map<number, Map<number, string>>();
  for (const r of rules) {
    for (const a of r.actions) {
      if (a.type !== 'forward') continue;
      const problems = headerProblems(a.headers);
      if (problems.size > 0) out.set(a.key, problems);
    }
  }
  return out;
}

/** A rule in a sentence, for roles that can only read rules. */
export function describeAction(a: PresentedAction): string {
  if (a.type === 'publish') return `Publish as ${a.event_type}`;
  if (a.type === 'run_sync') return `Run sync ${a.sync_id}${a.full_refresh ? ' (full refresh)' : ''}`;
  const headers = a.header_names.length ? ` with ${a.header_names.join(', ')}` : '';
  return `Forward to ${a.url}${headers}`;
}
