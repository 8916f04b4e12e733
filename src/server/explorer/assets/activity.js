// Activity: the server's recent transactions (newest first) with their steps, and the outbox of
// messages it would have sent (magic codes) once the server keeps one.
import { api } from './api.js';
import { h, renderError } from './render.js';

export async function renderActivity({ main, refresh }) {
  const [recent, outbox] = await Promise.all([
    api('activity', undefined, { asAdmin: true }),
    api('outbox', undefined, { asAdmin: true }),
  ]);
  main.replaceChildren(
    h('h2', { id: 'view-title' }, 'Activity'),
    h('button', { type: 'button', id: 'activity-refresh', onclick: () => void refresh() }, 'Refresh'),
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
    list.map((tx, i) =>
      h(
        'li',
        {},
        h(
          'details',
          { open: i === 0 },
          h(
            'summary',
            {},
            h('strong', {}, `tx ${tx.txId}`),
            ` · ${new Date(tx.at).toLocaleTimeString()} · ${tx.by} · ${tx.stepCount} step${tx.stepCount === 1 ? '' : 's'}`,
            h('span', { class: 'muted' }, ` · ${actionsOf(tx.steps)}`),
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
  if (!outbox.available) return h('p', { class: 'muted' }, 'This server keeps no outbox.');
  if (outbox.messages.length === 0) return h('p', { class: 'muted' }, 'No email "sent" yet (magic codes appear here).');
  // Newest first: who it was for, when, its subject and the code to type.
  return h(
    'ol',
    { class: 'activity', id: 'outbox-list' },
    outbox.messages.map((m) =>
      h(
        'li',
        {},
        h(
          'details',
          {},
          h('summary', {}, `${new Date(m.sentAt).toISOString()} · ${m.to} · ${m.subject} · code ${m.code}`),
          h('pre', {}, m.body),
        ),
      ),
    ),
  );
}

/** "update books ×3, link users": what the first steps do, from their previews' first two fields. */
function actionsOf(steps) {
  const counts = new Map();
  for (const step of steps) {
    const match = /^\["([\w-]+)",(?:"([^"]*)")?/.exec(step);
    const key = match ? `${match[1]}${match[2] === undefined ? '' : ` ${match[2]}`}` : 'step';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => (n > 1 ? `${key} ×${n}` : key)).join(', ');
}
