import { expectError, expectType } from 'tsd';
import {
  id,
  init,
  type InstantAPIError,
  type InstantNetworkError,
  type InstantResponseError,
  type LiveQuery,
  type SubscribeQueryPayload,
  type SubscriptionReadyState,
} from 'instant-tx';
import { schema } from './fixtures.ts';

const db = init({ appId: id(), adminToken: id(), schema });
const result = await db.query({ goals: { todos: {} } });
type Result = typeof result;

// subscribeQuery's payloads carry exactly what db.query resolves with
const sub = db.subscribeQuery({ goals: { todos: {} } });
expectType<LiveQuery<Result>>(sub);
expectType<SubscriptionReadyState>(sub.readyState);
expectType<boolean>(sub.isClosed);
for await (const payload of sub) {
  expectType<SubscribeQueryPayload<Result>>(payload);
  if (payload.type === 'ok') {
    expectType<string>(payload.data.goals[0]!.title);
    expectType<string>(payload.data.goals[0]!.todos[0]!.text);
    expectError(payload.data.users);
  } else {
    expectType<InstantAPIError | InstantNetworkError | InstantResponseError>(payload.error);
    expectType<boolean>(payload.isClosed);
  }
}

// the callback gets the same payloads; the query is checked like db.query's
db.subscribeQuery({ goals: {} }, (payload) => {
  if (payload.type === 'ok') expectType<string>(payload.data.goals[0]!.id);
});
expectError(db.subscribeQuery({ goalz: {} }));
db.subscribeQuery({ goals: {} }, undefined, { ruleParams: { k: 'v' }, signal: new AbortController().signal });
