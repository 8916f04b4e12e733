// Browse: one namespace as a paginated table; links as chips that open the linked rows; search by an
// indexed attribute; for a guest or a user, the rule that allowed or denied each row.
import { caller, query, queryWithChecks } from './api.js';
import { openEditor } from './edit.js';
import { h, renderError, renderValue, status } from './render.js';
import { displayAttr } from './schema.js';

export const PAGE_SIZE = 20;
/** Chips shown per cell before a "+N more" chip. */
const CHIPS = 4;

const browseHref = (ns, params = {}) => {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
  return `#/browse/${encodeURIComponent(ns)}${search.size > 0 ? `?${search}` : ''}`;
};

/** The `where` clause the route asks for: one row (`id`), a link path (`where`+`v`), or a search. */
function whereOf(route, attrs) {
  const p = route.params;
  if (p.get('id')) return { id: p.get('id') };
  if (p.get('where')) return { [p.get('where')]: p.get('v') ?? '' };
  const attr = attrs.find((a) => a.label === p.get('attr'));
  const text = p.get('q');
  if (!attr || !text) return undefined;
  if (attr.types.includes('number') && !Number.isNaN(Number(text))) return { [attr.label]: Number(text) };
  if (attr.types.includes('boolean') && (text === 'true' || text === 'false')) return { [attr.label]: text === 'true' };
  // Instant compares (`$ilike`) only attributes with an enforced type; others match exactly.
  return { [attr.label]: attr.checked === 'string' ? { $ilike: `%${text}%` } : text };
}

/** The InstaQL query for one page: the rows, and each link's ids (and names, for the chips). */
export function pageQuery(schema, ns, where, page) {
  const { links } = schema.get(ns);
  const children = Object.fromEntries(
    links.map((link) => {
      const name = displayAttr(schema, link.target);
      return [link.label, { $: { fields: name ? ['id', name] : ['id'] } }];
    }),
  );
  const options = { limit: PAGE_SIZE + 1, offset: page * PAGE_SIZE, ...(where ? { where } : {}) };
  return { [ns]: { $: options, ...children } };
}

export async function renderBrowse({ schema, counts, route, main, refresh }) {
  const { ns } = route;
  const { attrs, links } = schema.get(ns);
  const page = Math.max(0, Number.parseInt(route.params.get('page') ?? '0', 10) || 0);
  const where = whereOf(route, attrs);
  const q = pageQuery(schema, ns, where, page);
  status(`Loading ${ns}…`);
  const withChecks = caller.kind !== 'admin';
  const answer = withChecks ? await queryWithChecks(q) : await query(q);
  const heading = h(
    'h2',
    { id: 'view-title' },
    ns,
    ' ',
    h('span', { class: 'count' }, `${counts.get(ns) ?? '?'} rows`),
  );
  if (!answer.ok) {
    main.replaceChildren(heading, renderError(answer, `Reading ${ns}`));
    status('');
    return;
  }
  const result = withChecks ? answer.data.result : answer.data;
  const rows = result[ns] ?? [];
  const shown = rows.slice(0, PAGE_SIZE);
  const editor = h('section', { id: 'editor', 'aria-label': 'Edit row' });
  const table = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { id: 'rows', 'aria-labelledby': 'view-title' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'id'),
          attrs.map((a) => h('th', { scope: 'col', title: a.types.join(', ') }, a.label)),
          links.map((l) => h('th', { scope: 'col', class: 'link-col' }, `${l.label} →`)),
        ),
      ),
      h(
        'tbody',
        {},
        shown.map((row) =>
          h(
            'tr',
            { 'data-id': row.id },
            h(
              'td',
              { class: 'id' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'row-edit',
                  title: `Edit ${row.id}`,
                  onclick: () => openEditor(editor, { schema, ns, row, refresh }),
                },
                row.id.slice(0, 8),
              ),
            ),
            attrs.map((a) => h('td', {}, renderValue(row[a.label], a.types))),
            links.map((l) => h('td', { class: 'chips' }, chips(schema, l, row))),
          ),
        ),
      ),
    ),
  );
  main.replaceChildren(
    ...[
      heading,
      searchForm(ns, attrs, route),
      filterNote(ns, where),
      shown.length === 0 ? h('p', { class: 'muted', id: 'no-rows' }, 'No rows to show.') : table,
      pager(ns, route, page, rows.length > PAGE_SIZE),
      withChecks ? rulesPanel(schema, answer.data['check-results'] ?? []) : null,
      editor,
    ].filter(Boolean),
  );
  status(`${ns}: ${shown.length} rows on page ${page + 1} (${answer.ms.toFixed(0)} ms).`);
}

/** A cell's linked rows as chips; past {@link CHIPS}, one chip opens all of them. */
function chips(schema, link, row) {
  const linked = row[link.label];
  const items = Array.isArray(linked) ? linked : linked ? [linked] : [];
  const name = displayAttr(schema, link.target);
  const out = items
    .slice(0, CHIPS)
    .map((item) =>
      h(
        'a',
        { class: 'chip', href: browseHref(link.target, { id: item.id }), title: `${link.target} ${item.id}` },
        String((name && item[name]) ?? item.id.slice(0, 8)),
      ),
    );
  if (items.length > CHIPS)
    out.push(
      h(
        'a',
        { class: 'chip more', href: browseHref(link.target, { where: `${link.back}.id`, v: row.id }) },
        `+${items.length - CHIPS} more`,
      ),
    );
  return out;
}

function searchForm(ns, attrs, route) {
  const indexed = attrs.filter((a) => a.indexed);
  if (indexed.length === 0) return h('p', { class: 'muted' }, 'No indexed attribute to search by.');
  const select = h(
    'select',
    { id: 'search-attr', 'aria-label': 'Search attribute' },
    indexed.map((a) => h('option', { value: a.label, selected: route.params.get('attr') === a.label }, a.label)),
  );
  const input = h('input', {
    id: 'search-text',
    type: 'search',
    value: route.params.get('q') ?? '',
    placeholder: 'value (strings of a typed attribute: contains)',
    'aria-label': 'Search text',
  });
  const submit = (event) => {
    event.preventDefault();
    location.hash = browseHref(ns, { attr: select.value, q: input.value });
  };
  return h('form', { class: 'search', role: 'search', onsubmit: submit }, select, input, h('button', {}, 'Search'));
}

function filterNote(ns, where) {
  if (!where) return null;
  return h(
    'p',
    { class: 'filter' },
    'Filtered: ',
    h('code', {}, JSON.stringify(where)),
    ' ',
    h('a', { href: browseHref(ns) }, 'Show all'),
  );
}

function pager(ns, route, page, hasNext) {
  const params = Object.fromEntries(route.params);
  const link = (to, text, enabled) =>
    enabled
      ? h('a', { href: browseHref(ns, { ...params, page: String(to) }) }, text)
      : h('span', { class: 'muted' }, text);
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    link(page - 1, '← Previous', page > 0),
    h('span', {}, `Page ${page + 1}`),
    link(page + 1, 'Next →', hasNext),
  );
}

/** Which rule allowed or denied each row the query touched (from `/admin/query_perms_check`). */
function rulesPanel(schema, checks) {
  const denied = checks.filter((c) => !c.check).length;
  return h(
    'section',
    { class: 'rules', 'aria-label': 'Rule checks' },
    h('h3', {}, `Rules: ${checks.length - denied} allowed, ${denied} denied`),
    h(
      'ul',
      {},
      checks.slice(0, 200).map((c) => {
        const name = displayAttr(schema, c.entity);
        const what = (name && c.record?.[name]) ?? c.id.slice(0, 8);
        const rule = c.program?.['display-code'];
        return h(
          'li',
          { class: c.check ? 'allowed' : 'denied' },
          h('span', { class: 'verdict' }, c.check ? 'allowed' : 'denied'),
          ` ${c.entity}${c.label ? `.${c.label}` : ''} “${what}” — `,
          rule ? h('code', {}, rule.trim()) : h('span', { class: 'muted' }, 'no rule (allowed by default)'),
        );
      }),
    ),
  );
}
