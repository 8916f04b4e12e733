import { tx } from '../src/index.ts';
import { uuids } from './harness.ts';
const COUNT = 100_000; const goals = uuids(COUNT), todos = uuids(COUNT);
for (let r = 0; r < 8; r++) { const chunks = []; for (let i = 0; i < COUNT; i++) chunks.push(tx.goals[goals[i]!]!.update({title:'Get fit',priority:i}).link({todos:todos[i]!})); }
