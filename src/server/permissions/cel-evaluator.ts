import { Environment } from '@marcbachmann/cel-js';
import { ApiError } from '../http/api-error.ts';

/** Variables a rule sees (spec §7.2). */
export interface RuleBindings {
  readonly auth: Record<string, unknown>;
  readonly data: Record<string, unknown>;
  readonly newData?: Record<string, unknown>;
  readonly ruleParams: Record<string, unknown>;
}

/** Follows `data.ref('label.label.attr')` / `auth.ref('$user.label.attr')` from an entity. */
export type RefResolver = (entity: Record<string, unknown>, ns: string, path: string) => unknown[];

const VARIABLES = ['auth', 'data', 'newData', 'ruleParams', 'linkedData'] as const;
const MEMBER = new RegExp(`\\b(${VARIABLES.join('|')})\\.([A-Za-z_$][\\w$]*)`, 'g');

/**
 * Evaluates Instant permission rules with a maintained CEL implementation (`@marcbachmann/cel-js`).
 * Instant reads a missing key as `null`; cel-js throws, so every key a rule names is filled with `null`
 * when absent. `x.ref(path)` is rewritten to a registered function that follows links.
 */
export class CelEvaluator {
  readonly #env: Environment;
  readonly #programs = new Map<string, (context: Record<string, unknown>) => unknown>();
  #ns = '';

  constructor(resolve: RefResolver) {
    this.#env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false })
      .registerFunction('instantRef(dyn, string): list', (entity: unknown, path: string) =>
        resolve(entity as Record<string, unknown>, this.#ns, path),
      )
      .registerFunction('instantAuthRef(dyn, string): list', (entity: unknown, path: string) =>
        resolve(entity as Record<string, unknown>, '$users', path.replace(/^\$user\./, '')),
      );
  }

  /**
   * True when the rule passes (any result but `false` and `null`). A rule that cannot be evaluated is
   * Instant's `permission-evaluation-failed`.
   */
  allows(code: string, ns: string, bindings: RuleBindings, rule: readonly [string, string]): boolean {
    const source = rewriteRefs(code);
    const context: Record<string, Record<string, unknown>> = {};
    for (const name of VARIABLES)
      context[name] = { ...((bindings as unknown as Record<string, Record<string, unknown>>)[name] ?? {}) };
    for (const [, variable, key] of code.matchAll(MEMBER))
      if (!(key! in context[variable!]!)) context[variable!]![key!] = null;
    this.#ns = ns;
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
    this.#program(rewriteRefs(code));
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

/** `x.ref(path)` becomes a call of the registered functions that follow links. */
function rewriteRefs(code: string): string {
  return code
    .replace(/\bauth\.ref\(/g, 'instantAuthRef(auth, ')
    .replace(/\b(data|newData|linkedData)\.ref\(/g, 'instantRef($1, ');
}
