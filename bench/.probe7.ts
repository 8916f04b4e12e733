import { compile, tx } from '../src/index.ts';
import { medianTime, uuids } from './harness.ts';
const COUNT = 100_000; const goals = uuids(COUNT), todos = uuids(COUNT);
const t = (l: string, f: () => void) => console.log(l.padEnd(28), medianTime(f).toFixed(1));
t('ours build only', () => { const chunks = []; for (let i = 0; i < COUNT; i++) chunks.push(tx.goals[goals[i]!]!.update({title:'Get fit',priority:i}).link({todos:todos[i]!})); });
t('ours build+compile', () => { const chunks = []; for (let i = 0; i < COUNT; i++) chunks.push(tx.goals[goals[i]!]!.update({title:'Get fit',priority:i}).link({todos:todos[i]!})); compile(chunks); });
t('ours all', () => { const chunks = []; for (let i = 0; i < COUNT; i++) chunks.push(tx.goals[goals[i]!]!.update({title:'Get fit',priority:i}).link({todos:todos[i]!})); JSON.stringify({steps: compile(chunks)}); });
t('hand all', () => { const steps = []; for (let i = 0; i < COUNT; i++) { const g = goals[i]!; steps.push(['update','goals',g,{title:'Get fit',priority:i}],['link','goals',g,{todos:todos[i]!}]); } JSON.stringify({steps}); });
