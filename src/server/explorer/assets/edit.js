// Edit one row: change attributes, add or remove links, delete it. Every change is shown as the
// `/admin/transact` steps it sends, and sent only when confirmed.
import { caller, transact } from './api.js';
import { h, renderError, status } from './render.js';
import { displayAttr } from './schema.js';

/** Reads an input's text back as the attribute's value: a string stays one, anything else is JSON. */
function readValue(text, original, types) {
  if (original === undefined && text === '') return undefined;
  const stringy = typeof original === 'string' || (original === undefined && types.includes('string'));
  if (stringy) return text;
  try {
    return JSON.parse(text);
  } catch {
    if (original === undefined) return text;
    throw new Error(`not valid JSON: ${text}`);
  }
}

const shown = (value) => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** Opens the editor for `row` of `ns` in `panel`; `refresh` reloads the page's data after a change. */
export function openEditor(panel, { schema, ns, row, refresh }) {
  const { attrs, links } = schema.get(ns);
  const review = h('div', { class: 'review', 'aria-live': 'polite' });
  const propose = (steps) => showReview(review, steps, refresh);
  const inputs = attrs.map((attr) => {
    const id = `edit-${attr.label}`;
    const value = row[attr.label];
    const input =
      typeof value === 'boolean'
        ? h('input', { id, type: 'checkbox', checked: value })
        : h(value !== null && typeof value === 'object' ? 'textarea' : 'input', { id, value: shown(value) });
    if (input.tagName === 'TEXTAREA') input.value = shown(value);
    return { attr, input, value };
  });
  const changes = () => {
    const update = {};
    for (const { attr, input, value } of inputs) {
      const next = input.type === 'checkbox' ? input.checked : readValue(input.value, value, attr.types);
      if (next !== undefined && JSON.stringify(next) !== JSON.stringify(value)) update[attr.label] = next;
    }
    return update;
  };
  const onReview = (event) => {
    event.preventDefault();
    try {
      const update = changes();
      if (Object.keys(update).length === 0) return review.replaceChildren(h('p', {}, 'Nothing changed.'));
      propose([['update', ns, row.id, update]]);
    } catch (error) {
      review.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
    }
  };
  panel.replaceChildren(
    h('h3', { id: 'editor-title' }, `Edit ${ns} ${row.id}`),
    h(
      'form',
      { class: 'edit-form', onsubmit: onReview },
      inputs.map(({ attr, input }) => h('label', { for: input.id }, h('span', {}, attr.label), input)),
      h('button', { type: 'submit', id: 'review-update' }, 'Review changes'),
    ),
    ...links.map((link) => linkEditor(schema, ns, row, link, propose)),
    h(
      'p',
      {},
      h(
        'button',
        { type: 'button', class: 'danger', id: 'review-delete', onclick: () => propose([['delete', ns, row.id]]) },
        `Delete this ${ns} row…`,
      ),
    ),
    review,
  );
  panel.querySelector('input, textarea, button')?.focus();
}

/** A link's current targets with a remove button each, and a field to add one by id. */
function linkEditor(schema, ns, row, link, propose) {
  const linked = row[link.label];
  const items = Array.isArray(linked) ? linked : linked ? [linked] : [];
  const name = displayAttr(schema, link.target);
  const input = h('input', { id: `link-${link.label}`, placeholder: `${link.target} id`, 'aria-label': 'Id to link' });
  const add = (event) => {
    event.preventDefault();
    if (input.value.trim()) propose([['link', ns, row.id, { [link.label]: input.value.trim() }]]);
  };
  return h(
    'fieldset',
    { class: 'link-edit' },
    h('legend', {}, `${link.label} → ${link.target}`),
    h(
      'ul',
      {},
      items.slice(0, 50).map((item) =>
        h(
          'li',
          {},
          String((name && item[name]) ?? item.id),
          ' ',
          h(
            'button',
            {
              type: 'button',
              'aria-label': `Remove link to ${item.id}`,
              onclick: () => propose([['unlink', ns, row.id, { [link.label]: item.id }]]),
            },
            'Remove',
          ),
        ),
      ),
    ),
    h('form', { onsubmit: add }, input, h('button', {}, 'Add link…')),
  );
}

/** Shows the steps, and sends them only on "Send". */
function showReview(review, steps, refresh) {
  const who = caller.kind === 'user' ? caller.email : caller.kind;
  const send = async () => {
    sendButton.disabled = true;
    const answer = await transact(steps);
    if (!answer.ok) {
      review.replaceChildren(renderError(answer, 'The transaction'));
      return;
    }
    status(`Committed tx ${answer.data['tx-id']}.`);
    await refresh();
  };
  const sendButton = h('button', { type: 'button', id: 'send-steps', onclick: send }, `Send as ${who}`);
  review.replaceChildren(
    h('h4', {}, 'These steps will be sent to /admin/transact:'),
    h('pre', { id: 'steps-preview' }, `[\n${steps.map((step) => `  ${JSON.stringify(step)}`).join(',\n')}\n]`),
    sendButton,
    h('button', { type: 'button', onclick: () => review.replaceChildren() }, 'Cancel'),
  );
  sendButton.focus();
}
