import { type ASTNode, Environment } from '@marcbachmann/cel-js';
import { ApiError } from '../api/api-error.ts';
import { toCelValue } from './cel-values.ts';

/** Variables a rule sees (spec §7.2); the optional ones only where Instant binds them. */
export interface RuleBindings {
  readonly auth: Readonly<Record<string, unknown>>;
  readonly data: Readonly<Record<string, unknown>>;
  readonly newData?: Readonly<Record<string, unknown>>;
  readonly ruleParams: Readonly<Record<string, unknown>>;
  /** link / unlink rules: the entity on the other side of the link. */
  readonly linkedData?: Readonly<Record<string, unknown>>;
  /** link rules: whether each side is being created or updated, `{data, linkedData}`. */
  readonly actions?: Readonly<Record<string, unknown>>;
  /** `request.modifiedFields`: the labels this transaction writes on the entity (create / update). */
  readonly request?: { readonly modifiedFields: readonly string[] };
}

/** Where a rule runs: its namespace, the namespace of `linkedData`, and `[ns, action]` for errors. */
export interface RuleSite {
  readonly ns: string;
  readonly linkedNs?: string;
  readonly rule: readonly [string, string];
}

/** A rule made ready once: CEL source after rewrites, the variables it names, the keys it reads. */
interface PreparedRule {
  readonly source: string;
  readonly variables: ReadonlySet<string>;
  readonly members: readonly (readonly [string, string])[];
}

/** A binding as a CEL map (a fresh object: missing keys are filled in per evaluation). */
function celMap(value: Record<string, unknown> | undefined): Record<string, unknown> {
  return value === undefined ? {} : (toCelValue(value) as Record<string, unknown>);
}

/** Follows `data.ref('label.label.attr')` / `auth.ref('$user.label.attr')` from an entity. */
export type RefResolver = (entity: Record<string, unknown>, ns: string, path: string) => unknown[];

const VARIABLES = ['auth', 'data', 'newData', 'ruleParams', 'linkedData', 'actions', 'request'] as const;
const MEMBER = new RegExp(`\\b(${VARIABLES.join('|')})\\.([A-Za-z_$][\\w$]*)`, 'g');

/**
 * Evaluates Instant permission rules with a maintained CEL implementation (`@marcbachmann/cel-js`).
 * Instant reads a missing key as `null`; cel-js throws, so every key a rule names is filled with `null`
 * when absent. `x.ref(path)` is rewritten to a registered function that follows links, and a key that
 * starts with `$` (`ruleParams.$user`, which Instant's CEL accepts) to an index (`ruleParams["$user"]`).
 */
export class CelEvaluator {
  readonly #env: Environment;
  readonly #programs = new Map<string, (context: Record<string, unknown>) => unknown>();
  readonly #prepared = new Map<string, PreparedRule>();
  #site: RuleSite = { ns: '', rule: ['', ''] };

  constructor(resolve: RefResolver) {
    this.#env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false })
      .registerFunction('instantRef(dyn, string): list', (entity: unknown, path: string) =>
        toCelValue(resolve(entity as Record<string, unknown>, this.#site.ns, path)),
      )
      .registerFunction('instantLinkedRef(dyn, string): list', (entity: unknown, path: string) =>
        toCelValue(resolve(entity as Record<string, unknown>, this.#site.linkedNs ?? '', path)),
      )
      .registerFunction('instantAuthRef(dyn, string): list', (entity: unknown, path: string) =>
        toCelValue(resolve(entity as Record<string, unknown>, '$users', path.replace(/^\$user\./, ''))),
      );
  }

  /**
   * True when the rule passes (any result but `false` and `null`). A rule that cannot be evaluated is
   * Instant's `permission-evaluation-failed`.
   */
  allows(code: string, site: RuleSite, bindings: RuleBindings): boolean {
    const { source, variables, members } = this.#prepare(code);
    const context: Record<string, Record<string, unknown>> = {};
    const given = bindings as unknown as Record<string, Record<string, unknown> | undefined>;
    // Only the variables the rule names are converted (a row's data can be large); the rest stay empty.
    for (const name of VARIABLES) context[name] = variables.has(name) ? celMap(given[name]) : {};
    if (variables.has('request')) context.request = { time: new Date(), modifiedFields: [], ...bindings.request };
    for (const [variable, key] of members) if (!(key in context[variable]!)) context[variable]![key] = null;
    this.#site = site;
    const { rule } = site;
    try {
      const result = this.#program(source)(context);
      return result !== false && result !== null && result !== undefined;
    } catch (error) {
      throw new ApiError(
        400,
        'permission-evaluation-failed',
        `Could not evaluate permission rule for \`${rule[0]}.${rule[1]}\`. ${(error as Error).message.split('\n')[0]}. Debug this in the sandbox and then update your permission rules.`,
        {
          rule,
          error: { type: 'permission-evaluation-failed', message: (error as Error).message.split('\n')[0], hint: null },
        },
      );
    }
  }

  /**
   * Compiles a rule without evaluating it, so a rule that is not valid CEL is found when the server
   * starts rather than at the first request it guards. Throws the CEL parse error.
   */
  compile(code: string): void {
    this.#program(this.#prepare(code).source);
  }

  /** The syntax tree of a rule (after the rewrites `allows` evaluates); throws the CEL parse error. */
  syntaxTree(code: string): ASTNode {
    return this.#env.parse(this.#prepare(code).source).ast;
  }

  /** A rule's rewritten source, the variables it names and the `variable.key`s it reads, once per rule. */
  #prepare(code: string): PreparedRule {
    let prepared = this.#prepared.get(code);
    if (!prepared) {
      const members = [...code.matchAll(MEMBER)].map(([, variable, key]) => [variable!, key!] as const);
      const variables = new Set(VARIABLES.filter((name) => new RegExp(`\\b${name}\\b`).test(code)));
      prepared = { source: rewriteRefs(code), variables, members };
      this.#prepared.set(code, prepared);
    }
    return prepared;
  }

  #program(source: string): (context: Record<string, unknown>) => unknown {
    let program = this.#programs.get(source);
    if (!program) {
      const parsed = this.#env.parse(source);
      program = (context) => parsed(context);
      this.#programs.set(source, program);
    }
    return program;
  }
}

/** Comments and string literals, which the rewrites below leave alone. */
const LITERALS = /(\/\/[^\n]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/;

/**
 * `x.ref(path)` becomes a call of the registered functions that follow links; `.$key` becomes
 * `["$key"]`. Only code is rewritten, never the inside of a string or a comment.
 */
function rewriteRefs(code: string): string {
  return code
    .split(LITERALS)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part
            .replace(/\bauth\.ref\(/g, 'instantAuthRef(auth, ')
            .replace(/\blinkedData\.ref\(/g, 'instantLinkedRef(linkedData, ')
            .replace(/\b(data|newData)\.ref\(/g, 'instantRef($1, ')
            .replace(/\.(\$[\w$]*)/g, '["$1"]'),
    )
    .join('');
}
