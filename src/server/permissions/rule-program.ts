import { isPlainObject } from '../../protocol/json.ts';

/** A permission action of Instant's rules. */
export type RuleAction = 'view' | 'create' | 'update' | 'delete';

/** The link actions, whose rules are maps of link label (or `$default`) to rule. */
export type LinkAction = 'link' | 'unlink';

/** Instant's rules JSON: `{ns: {allow: {view, create, update, delete, $default}, bind}, $default: {...}}`. */
export type Rules = Record<string, unknown>;

/** Namespaces of Instant's system catalog: with no rule of the app's, only the fallbacks below apply. */
const SYSTEM_NAMESPACES = new Set([
  '$users',
  '$magicCodes',
  '$userRefreshTokens',
  '$oauthProviders',
  '$oauthUserLinks',
  '$oauthClients',
  '$oauthCodes',
  '$oauthRedirects',
  '$files',
  '$streams',
]);

const SELF_OR_GUEST_OF_SELF =
  'auth.id == data.id || (data.linkedPrimaryUser != null && auth.id == data.linkedPrimaryUser)';

/**
 * The system fallback of a system namespace (spec §7.1): `$users` may be seen and updated by the user
 * (or a guest linked to them), created (signup flows; transactions are refused elsewhere) and never
 * deleted; every other action on a system namespace is denied.
 */
function fallbackProgram(ns: string, action: RuleAction): string | undefined {
  if (!SYSTEM_NAMESPACES.has(ns)) return undefined;
  if (ns === '$users' && action === 'create') return 'true';
  if (ns === '$users' && (action === 'view' || action === 'update')) return SELF_OR_GUEST_OF_SELF;
  return 'false';
}

/**
 * The CEL program for `(ns, action)`, following Instant's lookup order — `ns.allow.action`,
 * `ns.allow.$default`, `$default.allow.action`, `$default.allow.$default`, system fallback — with the
 * `bind`s of `$default` and `ns` wrapped around it as `cel.bind`. `undefined` means allowed.
 *
 * @example
 * ruleProgram({ goals: { allow: { view: 'isOwner' }, bind: ['isOwner', 'auth.id == data.ownerId'] } }, 'goals', 'view')
 * // 'cel.bind(isOwner, (auth.id == data.ownerId\n), (isOwner\n))' — the newlines end a rule's `// comment`
 */
export function ruleProgram(rules: Rules, ns: string, action: RuleAction): string | undefined {
  const own = allowOf(rules[ns]);
  const fallback = allowOf(rules.$default);
  const code =
    own?.[action] ?? own?.$default ?? fallback?.[action] ?? fallback?.$default ?? fallbackProgram(ns, action);
  return code === undefined || code === null ? undefined : withBinds(rules, ns, code);
}

/**
 * The `link` / `unlink` rule of one side of a link: `ruleNs.allow.<action>.<label>`, else
 * `ruleNs.allow.<action>.$default`, else undefined (no fallback to other rules). Instant wraps it in
 * the binds of `bindNs`, the namespace the link is written from, on either side.
 *
 * @example
 * linkRuleProgram({ posts: { allow: { link: { author: 'true' } } } }, 'posts', 'link', 'author', 'posts') // '(true\n)'
 */
export function linkRuleProgram(
  rules: Rules,
  ruleNs: string,
  action: LinkAction,
  label: string,
  bindNs: string,
): string | undefined {
  const map = allowOf(rules[ruleNs])?.[action];
  if (!isPlainObject(map)) return undefined;
  const code = map[label] ?? map.$default;
  return code === undefined || code === null ? undefined : withBinds(rules, bindNs, code);
}

/**
 * The field rule of `ns.label` (`ns.fields.label`, a `view` rule for that attribute's value only) inside
 * the `bind`s of `$default` and `ns`, or undefined when there is none. Unlike `allow` rules there is no
 * fallback, and `id` never has one (rules that set it are refused, see `fieldRuleProblems`).
 *
 * @example
 * fieldRuleProgram({ users: { fields: { email: 'auth.id == data.id' } } }, 'users', 'email') // '(auth.id == data.id\n)'
 */
export function fieldRuleProgram(rules: Rules, ns: string, label: string): string | undefined {
  if (label === 'id') return undefined;
  const fields = fieldsOf(rules[ns]);
  const code = fields && Object.hasOwn(fields, label) ? fields[label] : undefined;
  return code === undefined || code === null ? undefined : withBinds(rules, ns, code);
}

/** The `fields` object of a rules entry, if it has one. */
function fieldsOf(entry: unknown): Record<string, unknown> | undefined {
  const fields = isPlainObject(entry) ? entry.fields : undefined;
  return isPlainObject(fields) ? fields : undefined;
}

/**
 * Every namespace whose `fields` sets a rule for `id`, which Instant forbids, with Instant's message.
 *
 * @example
 * fieldRuleProblems({ users: { fields: { id: 'false' } } })
 * // [{ ns: 'users', message: 'You cannot set field rules for `id`. Use users -> allow -> view instead' }]
 */
export function fieldRuleProblems(rules: Rules): { ns: string; message: string }[] {
  return Object.keys(rules)
    .filter((ns) => {
      const fields = fieldsOf(rules[ns]);
      return fields !== undefined && Object.hasOwn(fields, 'id');
    })
    .map((ns) => ({ ns, message: `You cannot set field rules for \`id\`. Use ${ns} -> allow -> view instead` }));
}

/** `code` inside the `bind`s of `$default` and `ns`, each rule closed on a new line (for `// comments`). */
function withBinds(rules: Rules, ns: string, code: unknown): string {
  const binds = [...bindsOf(rules.$default), ...bindsOf(rules[ns])];
  return binds.reduceRight(
    (body, [name, expression]) => `cel.bind(${name}, (${expression}\n), ${body})`,
    `(${String(code)}\n)`,
  );
}

/**
 * The `allow` object of a rules entry, if it has one.
 *
 * @example
 * allowOf({ allow: { view: 'true' } }) // { view: 'true' }
 */
export function allowOf(entry: unknown): Record<string, unknown> | undefined {
  const allow = isPlainObject(entry) ? entry.allow : undefined;
  return isPlainObject(allow) ? allow : undefined;
}

/**
 * The `bind` pairs of a rules entry, from its array (`[name, code, …]`) or object form.
 *
 * @example
 * bindsOf({ bind: ['isOwner', 'auth.id == data.ownerId'] }) // [['isOwner', 'auth.id == data.ownerId']]
 */
export function bindsOf(entry: unknown): [string, string][] {
  const bind = isPlainObject(entry) ? entry.bind : undefined;
  if (Array.isArray(bind)) {
    const pairs: [string, string][] = [];
    for (let index = 0; index + 1 < bind.length; index += 2) pairs.push([String(bind[index]), String(bind[index + 1])]);
    return pairs;
  }
  return isPlainObject(bind) ? Object.entries(bind).map(([name, code]) => [name, String(code)]) : [];
}
