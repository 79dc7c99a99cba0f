import { DataVersion } from './DataVersion';
import { JobReader } from './JobReader';
import { holdsEndedBy, SummaryFacts, summaryAt } from './summaryFacts';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The least time between the starts of two counts. While reports keep
 * changing the data (a burst: a new version every few milliseconds), every
 * open page that asks waits for the next count instead of starting one, so
 * the database counts at most ten times a second however many pages ask,
 * and each page still gets a count made after it asked.
 */
const COUNT_INTERVAL_MS = 100;

/**
 * The summary (the badge's count and the counts per health) served from
 * memory: counted once per data version (a write batch, an acknowledgement,
 * a mute), however many pages ask, one count at a time. A mute that ends
 * changes it at its time, with no count (SummaryFacts).
 */
export class SummaryCache {
  private counted?: { version: string; facts: SummaryFacts; at: Date };
  private counting?: Promise<void>;
  private countStartedAt = -Infinity;

  constructor(
    private readonly reader: JobReader,
    private readonly version: DataVersion,
    /** The monitor's clock. */
    private readonly now: () => Date,
  ) {}

  /** The summary now, counted at the latest version this replica knows. */
  async get() {
    const { version, facts, at } = await this.current();
    const now = this.now();
    // The facts hold for their count's time and after.
    return { ...summaryAt(facts, now > at ? now : at), version };
  }

  /**
   * The tag of what the read API shows now: the data version, and the
   * mutes and windows that ended since it was counted (they change what is
   * shown with no write).
   */
  async etag(): Promise<string> {
    const { version, facts } = await this.current();
    return `${version}.${holdsEndedBy(facts, this.now())}`;
  }

  /** The counts at the latest version this replica knows. */
  private async current() {
    while (this.counted?.version !== (await this.version.known())) {
      await this.count();
    }
    return this.counted;
  }

  /** Counts once, however many ask at the same time. */
  private count(): Promise<void> {
    this.counting ??= (async () => {
      const wait = this.countStartedAt + COUNT_INTERVAL_MS - performance.now();
      if (wait > 0) {
        await sleep(wait);
      }
      this.countStartedAt = performance.now();
      // The version first: what is read after it holds at least as much.
      const version = await this.version.known();
      const at = this.now();
      const facts = await this.reader.summaryFacts(at);
      this.counted = { version, facts, at };
    })().finally(() => {
      this.counting = undefined;
    });
    return this.counting;
  }
}
