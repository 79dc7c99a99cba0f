import { gzipSync } from 'node:zlib';

/** How many answers are kept: the few pages that many viewers share. */
const KEPT = 200;

/**
 * An answer as it goes out: its JSON text, and that text compressed, made
 * once however many callers are given it.
 */
export class SharedAnswer {
  private compressed?: Buffer;

  constructor(readonly json: string) {}

  /** The JSON text compressed with gzip (made at the first asking). */
  get gzip(): Buffer {
    this.compressed ??= gzipSync(this.json);
    return this.compressed;
  }
}

/**
 * The read API's answers of the current data version, by URL: when many
 * open pages ask for the same thing (the badge's summary, the list's first
 * page) after a change, the first asks the database and the others get its
 * answer, serialized and compressed once. An answer is kept with the tag of
 * the data it was read at, and given only while that tag is current.
 * Answers do not depend on who asks, once the read permission is checked.
 */
export class ReadCache {
  private readonly answers = new Map<
    string,
    { etag: string; answer: Promise<SharedAnswer> }
  >();

  /** The answer for `url` at `etag`: kept, or read (once) with `read`. */
  answer(
    url: string,
    etag: string,
    read: () => Promise<unknown>,
  ): Promise<SharedAnswer> {
    const kept = this.answers.get(url);
    if (kept?.etag === etag) {
      return kept.answer;
    }
    const answer = read().then(body => new SharedAnswer(JSON.stringify(body)));
    this.answers.delete(url);
    if (this.answers.size >= KEPT) {
      // The least recently read goes.
      this.answers.delete(this.answers.keys().next().value!);
    }
    this.answers.set(url, { etag, answer });
    answer.catch(() => {
      if (this.answers.get(url)?.answer === answer) {
        this.answers.delete(url);
      }
    });
    return answer;
  }
}
