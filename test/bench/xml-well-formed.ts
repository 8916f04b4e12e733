/**
 * The problems that make `text` not well-formed XML (empty when it is), checked strictly enough for
 * what the chart writer emits: balanced elements under one root, quoted attributes without duplicates,
 * no `<` or bare `&` in text or attribute values, no control characters XML 1.0 forbids.
 */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  let roots = 0;
  const entity = /&(?:lt|gt|amp|quot|apos|#\d+|#x[\da-fA-F]+);/g;
  const checkText = (value: string, where: string) => {
    if (value.replace(entity, '').includes('&')) problems.push(`bare & in ${where}`);
    if (value.includes('<')) problems.push(`< in ${where}`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding the characters XML forbids is the point
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) problems.push(`control character in ${where}`);
  };
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z][\w:.-]*="[^"]*")*)\s*(\/?)>|([^<]+)|(<)/gy;
  for (const match of text.matchAll(token)) {
    const [, closing, name, attributes, selfClosing, content, stray] = match;
    if (stray !== undefined) {
      problems.push(`a < that starts no tag at ${match.index}`);
      continue;
    }
    if (content !== undefined) {
      if (open.length === 0 && content.trim() !== '') problems.push('text outside the root element');
      checkText(content, 'text');
      continue;
    }
    if (closing) {
      const expected = open.pop();
      if (expected !== name) problems.push(`</${name}> closes <${expected}>`);
      continue;
    }
    if (open.length === 0 && ++roots > 1) problems.push('more than one root element');
    const names = new Set<string>();
    for (const [, attribute, value] of attributes!.matchAll(/([A-Za-z][\w:.-]*)="([^"]*)"/g)) {
      if (names.has(attribute!)) problems.push(`duplicate attribute ${attribute} on <${name}>`);
      names.add(attribute!);
      checkText(value!, `attribute ${attribute}`);
    }
    if (!selfClosing) open.push(name!);
  }
  const consumed = [...text.matchAll(token)].reduce((length, match) => length + match[0].length, 0);
  if (consumed !== text.length) problems.push(`unreadable from offset ${consumed}`);
  if (open.length > 0) problems.push(`unclosed <${open.join('>, <')}>`);
  if (roots === 0) problems.push('no root element');
  return problems;
}
