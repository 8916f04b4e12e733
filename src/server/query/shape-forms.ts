import { isPlainObject } from '../../protocol/json.ts';
import { parseOptions, type ShapedOptions } from './parse-options.ts';
import { type PathPart, type QueryProblem, queryValidationError } from './query-errors.ts';

/** One node of the query checked for shape: its label, path, level, `$` options and child nodes. */
export interface ShapedForm {
  readonly label: string;
  readonly in: readonly PathPart[];
  readonly level: number;
  readonly options: ShapedOptions;
  readonly children: readonly ShapedForm[];
}

/**
 * Checks the shape of every node of a query (without `$$ruleParams`), depth first in query order as
 * Instant's `coerce-forms!` does: each node an object, each `$` valid ({@link parseOptions}). Throws
 * the first shape error; operand errors are left in `problems`.
 *
 * @example
 * shapeForms({ users: { $: { limit: 1 }, bookshelves: {} } }, [])[0].children[0].label // 'bookshelves'
 */
export function shapeForms(query: Readonly<Record<string, unknown>>, problems: QueryProblem[]): ShapedForm[] {
  return shapeLevel(query, { root: query, in: [], specIn: [], level: 0, problems });
}

interface LevelScope {
  readonly root: unknown;
  readonly in: readonly PathPart[];
  readonly specIn: readonly PathPart[];
  readonly level: number;
  readonly problems: QueryProblem[];
}

function shapeLevel(forms: Readonly<Record<string, unknown>>, scope: LevelScope): ShapedForm[] {
  return Object.entries(forms).map(([label, node], index) => {
    const at = [...scope.in, label];
    if (!isPlainObject(node)) throw queryValidationError('query', scope.root, [{ expected: 'map?', in: at }]);
    const specIn = scope.level === 0 ? [index] : [...scope.specIn, 'child-forms', index];
    const { $: options, ...children } = node;
    const shaped = parseOptions(options ?? {}, {
      root: scope.root,
      in: [...at, '$'],
      specIn,
      level: scope.level,
      problems: scope.problems,
    });
    const childForms = shapeLevel(children, { ...scope, in: at, specIn, level: scope.level + 1 });
    return { label, in: at, level: scope.level, options: shaped, children: childForms };
  });
}
