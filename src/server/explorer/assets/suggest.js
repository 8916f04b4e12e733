// Which names fit where the cursor is in an InstaQL query being typed: namespaces at the top, a
// namespace's links (and `$`) inside its node, its attributes, options and operators inside `$`.

const OPTIONS = ['where', 'limit', 'offset', 'order', 'fields', 'first', 'after', 'before', 'last'];
const OPERATORS = ['$in', '$not', '$isNull', '$gt', '$gte', '$lt', '$lte', '$like', '$ilike', 'or', 'and'];

/** The keys of the objects that enclose `at` in (possibly unfinished) JSON text, outermost first. */
export function keyPath(text, at) {
  const stack = [];
  let lastString;
  let key;
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < at && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      lastString = text.slice(i + 1, j);
      i = j;
    } else if (c === ':') key = lastString;
    else if (c === '{' || c === '[') {
      stack.push(key);
      key = undefined;
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') key = undefined;
  }
  return stack.slice(1);
}

/** The names that fit at `at` in `text`, given the schema (see schema.js). */
export function namesAt(schema, text, at) {
  const path = keyPath(text, at);
  if (path.length === 0) return [...schema.keys()];
  let ns = path[0];
  for (let i = 1; i < path.length; i++) {
    const key = path[i];
    if (key === '$') {
      const attrs = schema.get(ns)?.attrs.map((a) => a.label) ?? [];
      const links = schema.get(ns)?.links.map((l) => l.label) ?? [];
      return [...OPTIONS, 'id', ...attrs, ...links, ...OPERATORS];
    }
    ns = schema.get(ns)?.links.find((l) => l.label === key)?.target ?? ns;
  }
  return ['$', ...(schema.get(ns)?.links.map((l) => l.label) ?? [])];
}
