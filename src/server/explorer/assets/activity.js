// Activity: the server's recent transactions (newest first) with their steps, and the outbox of
// messages it would have sent (magic codes) once the server keeps one.
import { api } from './api.js';
import { h, renderError } from './render.js';

export async function renderActivity({ main }) {
  const [recent, outbox] = await Promise.all([
    api('activity', undefined, { asAdmin: true }),
    api('outbox', undefined, { asAdmin: true }),
  ]);
  main.replaceChildren(
    h('h2', { id: 'view-title' }, 'Activity'),
    h('h3', {}, 'Recent transactions'),
    recent.ok ? transactions(recent.data.transactions) : renderError(recent, 'Reading the activity'),
    h('h3', {}, 'Outbox'),
    outbox.ok ? messages(outbox.data) : renderError(outbox, 'Reading the outbox'),
  );
}

function transactions(list) {
  if (list.length === 0) return h('p', { class: 'muted' }, 'No transaction since the server started.');
  return h(
    'ol',
    { class: 'activity', id: 'activity-list' },
    list.map((tx) =>
      h(
        'li',
        {},
        h(
          'details',
          {},
          h(
            'summary',
            {},
            h('strong', {}, `tx ${tx.txId}`),
            ` · ${new Date(tx.at).toLocaleTimeString()} · ${tx.by} · ${tx.stepCount} step${tx.stepCount === 1 ? '' : 's'}`,
          ),
          h('pre', {}, tx.steps.join('\n')),
          tx.stepCount > tx.steps.length
            ? h('p', { class: 'muted' }, `…and ${tx.stepCount - tx.steps.length} more`)
            : null,
        ),
      ),
    ),
  );
}

function messages(outbox) {
  if (!outbox.available) return h('p', { class: 'muted' }, 'This server keeps no outbox yet.');
  if (outbox.messages.length === 0) return h('p', { class: 'muted' }, 'No message sent yet.');
  return h(
    'ol',
    { class: 'activity' },
    outbox.messages.map((m) => h('li', {}, h('pre', {}, JSON.stringify(m, null, 2)))),
  );
}
