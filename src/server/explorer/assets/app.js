// The explorer page: the router (location.hash), the namespace list and the "as whom" switch.
import { caller, query } from './api.js';
import { renderActivity } from './activity.js';
import { renderBrowse } from './browse.js';
import { renderQuery } from './query.js';
import { h, renderError, status } from './render.js';
import { loadSchema } from './schema.js';

const main = document.getElementById('main');
let schema = new Map();
/** Row counts per namespace as the current caller sees them. */
let counts = new Map();

/** `#/browse/books?page=2` → `{ view: 'browse', ns: 'books', params }`. */
function readRoute() {
  const [path, search] = location.hash.replace(/^#/, '').split('?');
  const [, view = 'browse', ns] = (path ?? '').split('/').map(decodeURIComponent);
  return { view, ns, params: new URLSearchParams(search ?? '') };
}

async function loadCounts() {
  const names = [...schema.keys()];
  const answer = await query(Object.fromEntries(names.map((ns) => [ns, { $: { fields: ['id'] } }])));
  counts = new Map(answer.ok ? names.map((ns) => [ns, answer.data[ns]?.length ?? 0]) : []);
  if (!answer.ok) status(`Counting rows failed: ${answer.data.message ?? answer.status}`);
  renderNamespaces();
}

function renderNamespaces() {
  const current = readRoute();
  const list = document.getElementById('ns-list');
  list.replaceChildren(
    ...[...schema.keys()].map((ns) =>
      h(
        'li',
        {},
        h(
          'a',
          {
            class: 'ns-link',
            href: `#/browse/${encodeURIComponent(ns)}`,
            'aria-current': current.ns === ns ? 'page' : undefined,
          },
          h('span', { class: 'ns-name' }, ns),
          h('span', { class: 'count', 'aria-label': `${counts.get(ns) ?? '?'} rows` }, String(counts.get(ns) ?? '…')),
        ),
      ),
    ),
  );
  if (schema.size === 0) list.replaceChildren(h('li', { class: 'muted' }, 'No namespaces yet.'));
}

/** Counts renders, so that only the latest one lands when the route changes while one is loading. */
let renders = 0;

async function show() {
  const route = readRoute();
  const render = ++renders;
  for (const link of document.querySelectorAll('nav a'))
    link.setAttribute('aria-current', link.dataset.view === route.view ? 'page' : 'false');
  renderNamespaces();
  // Views render off-page; the result replaces the page's content only if no later render began.
  const target = document.createElement('div');
  const context = { schema, counts, route, main: target, refresh: () => refresh() };
  if (route.view === 'query') await renderQuery(context);
  else if (route.view === 'activity') await renderActivity(context);
  else if (route.ns && schema.has(route.ns)) await renderBrowse(context);
  else target.replaceChildren(h('h2', {}, 'Browse'), h('p', {}, 'Pick a namespace on the left.'));
  if (render !== renders) return;
  main.replaceChildren(...target.childNodes);
  main.dataset.rendered = location.hash;
  main.dataset.renders = String(render);
  // A followed chip or page link was inside the old content: carry keyboard focus to the new content.
  if (document.activeElement === document.body) main.focus({ preventScroll: true });
}

/** Reloads the counts and the current view (after an edit or a caller switch). */
async function refresh() {
  await loadCounts();
  await show();
}

function setUpCallerForm() {
  const kind = document.getElementById('as-kind');
  const email = document.getElementById('as-email');
  const apply = document.getElementById('as-apply');
  const form = document.getElementById('as-form');
  const sync = () => {
    email.hidden = kind.value !== 'user';
    apply.hidden = kind.value !== 'user';
  };
  kind.addEventListener('change', () => {
    sync();
    if (kind.value !== 'user') switchTo(kind.value, '');
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    switchTo(kind.value, email.value.trim());
  });
  sync();
}

function switchTo(kind, email) {
  caller.kind = kind;
  caller.email = email;
  document.body.dataset.as = kind;
  status(`Now viewing as ${kind === 'user' ? email : kind}.`);
  void refresh();
}

async function start() {
  setUpCallerForm();
  try {
    schema = await loadSchema();
  } catch (error) {
    main.replaceChildren(renderError({ status: 0, data: { message: error.message } }, 'Loading the schema'));
    return;
  }
  if (!location.hash) {
    const first = schema.keys().next().value;
    location.replace(first ? `#/browse/${encodeURIComponent(first)}` : '#/query');
  }
  window.addEventListener('hashchange', () => void show());
  await refresh();
  document.body.dataset.ready = 'true';
}

void start();
