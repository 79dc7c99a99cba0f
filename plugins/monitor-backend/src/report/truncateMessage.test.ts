import { truncateMessage } from './truncateMessage';

describe('truncateMessage', () => {
  it('keeps a message within the limit as it is', () => {
    expect(truncateMessage('short', 10)).toBe('short');
    expect(truncateMessage('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });

  it('keeps the head and more of the tail, within the limit', () => {
    const message = `HEAD${'.'.repeat(10_000)}TAIL`;
    const kept = truncateMessage(message, 1_000);
    expect(kept.length).toBeLessThanOrEqual(1_000);
    expect(kept.startsWith('HEAD')).toBe(true);
    expect(kept.endsWith('TAIL')).toBe(true);
    const [head, tail] = kept.split(/\n\n… \[\d+ characters omitted\] …\n\n/);
    expect(tail.length).toBeGreaterThan(head.length * 2);
  });

  it('says how many characters it left out', () => {
    const message = 'y'.repeat(5_000);
    const kept = truncateMessage(message, 500);
    const omitted = Number(/\[(\d+) characters omitted\]/.exec(kept)![1]);
    const marker = /\n\n… \[\d+ characters omitted\] …\n\n/.exec(kept)![0];
    expect(kept.length - marker.length + omitted).toBe(message.length);
  });

  it('never splits a character made of two UTF-16 units', () => {
    const message = '😀'.repeat(3_000);
    const kept = truncateMessage(message, 999);
    expect(kept).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(kept).not.toMatch(/(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});
