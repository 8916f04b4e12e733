// Small DOM helpers and the typed rendering of values (json, dates, booleans), trees and tables.

/** Creates an element: `h('a', { href: '#' }, 'text', child)`. `on*` props become listeners. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'class') element.className = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** True when the value reads as a date: typed `date`, or an ISO date string. */
function isDate(value, types) {
  if (types.includes('date') && (typeof value === 'number' || typeof value === 'string')) return true;
  return typeof value === 'string' && ISO_DATE.test(value);
}

/** One cell's value, rendered by its type. `types` are the attribute's (checked or inferred) types. */
export function renderValue(value, types = []) {
  if (value === undefined) return h('span', { class: 'muted' }, '—');
  if (value === null) return h('span', { class: 'null' }, 'null');
  if (typeof value === 'boolean') return h('span', { class: `bool bool-${value}` }, value ? 'true' : 'false');
  if (typeof value === 'number' && !types.includes('date')) return h('span', { class: 'num' }, String(value));
  if (isDate(value, types)) {
    const date = new Date(typeof value === 'string' ? value.replace(' ', 'T') : value);
    if (!Number.isNaN(date.getTime()))
      return h('time', { datetime: date.toISOString(), title: String(value) }, date.toLocaleString());
  }
  if (typeof value === 'object') {
    const text = JSON.stringify(value, null, 2);
    const short = JSON.stringify(value);
    return h(
      'details',
      { class: 'json' },
      h('summary', {}, short.length > 40 ? `${short.slice(0, 40)}…` : short),
      h('pre', {}, text),
    );
  }
  const text = String(value);
  return text.length > 120 ? h('span', { title: text }, `${text.slice(0, 120)}…`) : h('span', {}, text);
}

/** A query answer as an expandable tree (keyboard: each level is a <details>). */
export function renderTree(value, key = 'result', depth = 0) {
  if (value === null || typeof value !== 'object') {
    return h('div', { class: 'leaf' }, h('span', { class: 'key' }, `${key}: `), renderValue(value));
  }
  const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item]) : Object.entries(value);
  const label = Array.isArray(value) ? `${key} [${value.length}]` : `${key} {${entries.length}}`;
  return h(
    'details',
    { class: 'tree', open: depth < 2 },
    h('summary', {}, label),
    entries.map(([k, v]) => renderTree(v, k, depth + 1)),
  );
}

/** Rows (objects) as a table: one column per key seen; nested values render as JSON. */
export function renderTable(rows, caption) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            {},
            columns.map((c) => h('td', {}, renderValue(row[c]))),
          ),
        ),
      ),
    ),
  );
}

/** A readable error box for a failed call: status, type, message and hint. */
export function renderError(answer, what) {
  const { type, message, hint } = answer.data ?? {};
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('strong', {}, `${what} failed (HTTP ${answer.status}${type ? `, ${type}` : ''})`),
    h('p', {}, message ?? 'No message.'),
    hint && Object.keys(hint).length > 0 ? h('pre', {}, JSON.stringify(hint, null, 2)) : null,
  );
}

/** Sets the status line (read out by screen readers). */
export function status(text) {
  document.getElementById('status').textContent = text;
}
