import { describe, expect, it } from 'vitest';
import { SseParser } from '../../src/client/sse-parser.ts';

describe('SseParser reads text/event-stream as the WHATWG rules say', () => {
  it('joins data lines, skips comments, reads retry, and waits for the blank line', () => {
    const parser = new SseParser();
    expect(parser.feed('retry:500\n\n:keep-alive\n\ndata: {"a":\n')).toEqual({ events: [], retryMs: 500 });
    expect(parser.feed('data:1}\n\n').events).toEqual([{ event: undefined, data: '{"a":\n1}' }]);
  });

  it('keeps an event split anywhere across chunks, CRLF included', () => {
    const text = 'event: x\r\ndata:one\r\n\r\ndata:two\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.feed(text.slice(0, cut)).events, ...parser.feed(text.slice(cut)).events];
      expect(events).toEqual([
        { event: 'x', data: 'one' },
        { event: undefined, data: 'two' },
      ]);
    }
  });

  it('ignores a retry that is not digits and fields it does not know', () => {
    const parser = new SseParser();
    expect(parser.feed('retry: 5s\nid: 7\nfoo\n\n')).toEqual({ events: [], retryMs: undefined });
  });
});
