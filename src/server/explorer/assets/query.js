// Query: an InstaQL editor (JSON) with the schema's names suggested, results as a tree and as tables,
// the time it took, and the server's error when the query is refused.
import { caller, query } from './api.js';
import { h, renderError, renderTable, renderTree, status } from './render.js';
import { namesAt } from './suggest.js';

let lastText;

/** The name being typed at the cursor (inside or after a quote). */
function wordAt(text, at) {
  const match = /[\w$.-]*$/.exec(text.slice(0, at));
  return match ? match[0] : '';
}

export async function renderQuery({ schema, main }) {
  const first = schema.keys().next().value ?? 'goals';
  const editor = h('textarea', {
    id: 'query-text',
    rows: 10,
    spellcheck: 'false',
    'aria-describedby': 'query-help',
  });
  editor.value = lastText ?? JSON.stringify({ [first]: { $: { limit: 10 } } }, null, 2);
  const suggestions = h('div', { id: 'suggestions', class: 'suggestions', 'aria-label': 'Suggested names' });
  const output = h('section', { id: 'query-output', 'aria-live': 'polite' });
  const suggest = () => {
    const word = wordAt(editor.value, editor.selectionStart);
    const names = namesAt(schema, editor.value, editor.selectionStart - word.length);
    const matches = [...new Set(names)].filter((n) => n.startsWith(word) && n !== word).slice(0, 16);
    suggestions.replaceChildren(
      ...matches.map((name) =>
        h(
          'button',
          {
            type: 'button',
            class: 'chip',
            onclick: () => {
              const at = editor.selectionStart;
              editor.setRangeText(name.slice(word.length), at, at, 'end');
              editor.focus();
              suggest();
            },
          },
          name,
        ),
      ),
    );
  };
  const run = async (event) => {
    event?.preventDefault();
    lastText = editor.value;
    let q;
    try {
      q = JSON.parse(editor.value);
    } catch (error) {
      output.replaceChildren(renderError({ status: 0, data: { message: `Not JSON: ${error.message}` } }, 'Parsing'));
      return;
    }
    status('Running the query…');
    const answer = await query(q);
    status(`Query ${answer.ok ? 'answered' : 'failed'} in ${answer.ms.toFixed(0)} ms.`);
    output.replaceChildren(answer.ok ? results(answer) : renderError(answer, 'The query'));
  };
  editor.addEventListener('input', suggest);
  editor.addEventListener('click', suggest);
  editor.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void run(event);
  });
  const who = caller.kind === 'user' ? caller.email : caller.kind;
  main.replaceChildren(
    h('h2', { id: 'view-title' }, 'Query'),
    h(
      'form',
      { class: 'query-form', onsubmit: run },
      h('label', { for: 'query-text' }, `InstaQL query (JSON), run as ${who}`),
      editor,
      h('p', { id: 'query-help', class: 'muted' }, 'Ctrl+Enter runs it. Suggestions follow what you type:'),
      suggestions,
      h('button', { type: 'submit', id: 'run-query' }, 'Run'),
    ),
    output,
  );
  suggest();
}

/** The answer as a tree and, for each top-level namespace, as a table (its linked rows as JSON). */
function results(answer) {
  const data = answer.data;
  const tree = renderTree(data);
  const tables = Object.entries(data)
    .filter(([, rows]) => Array.isArray(rows))
    .map(([ns, rows]) => renderTable(rows, `${ns}: ${rows.length} rows`));
  return h(
    'div',
    { class: 'results' },
    h('p', { id: 'query-timing' }, `Answered in ${answer.ms.toFixed(1)} ms.`),
    h('details', { open: true, class: 'result-tree' }, h('summary', {}, 'Tree'), tree),
    h('details', { open: true, class: 'result-tables' }, h('summary', {}, 'Tables'), tables),
  );
}
