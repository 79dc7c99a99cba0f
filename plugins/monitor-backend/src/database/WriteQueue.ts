/**
 * Group commit: writes what arrives while a transaction runs together, in
 * the next one, in arrival order (so that a key's items keep theirs). Each
 * caller waits for its batch's commit: an answer means written. An item the
 * batch's write refuses does not fail the others: a failed batch is
 * written again, an item at a time.
 *
 * Up to `concurrentBatches` batches are written at once (a database that
 * takes several writers), on disjoint sets of keys: a key's next items wait
 * until the batch writing it has ended. It knows nothing of what it writes.
 */
export class WriteQueue<Item, Result> {
  private readonly queue: Array<{
    item: Item;
    resolve(result: Result): void;
    reject(error: unknown): void;
  }> = [];
  /** The keys of the batches being written. */
  private readonly keysBeingWritten = new Set<string>();
  private batchesBeingWritten = 0;
  private startScheduled = false;

  constructor(
    private readonly options: {
      /** The key an item is written under (one batch at a time per key). */
      keyOf(item: Item): string;
      /** Writes a batch in one transaction: a result per item, in order. */
      write(items: Item[]): Promise<Result[]>;
      concurrentBatches: number;
      /** The most items in one batch. */
      maxBatch: number;
    },
  ) {}

  /** Writes `item` with the next batch; resolves once it is written. */
  push(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.scheduleStart();
    });
  }

  /**
   * Starts batches on the next turn of the event loop, so that the items
   * that arrived meanwhile join them. (A synchronous database driver would
   * otherwise never let a request be read between batches.) Waiting longer
   * for more gains nothing: under load the batches fill by themselves while
   * the last one commits.
   */
  private scheduleStart() {
    if (this.startScheduled) {
      return;
    }
    this.startScheduled = true;
    setImmediate(() => {
      this.startScheduled = false;
      this.startBatches();
    });
  }

  private startBatches() {
    while (this.batchesBeingWritten < this.options.concurrentBatches) {
      const batch = this.takeBatch();
      if (batch.length === 0) {
        return;
      }
      const keys = new Set(batch.map(p => this.options.keyOf(p.item)));
      keys.forEach(key => this.keysBeingWritten.add(key));
      this.batchesBeingWritten++;
      void this.write(batch).finally(() => {
        keys.forEach(key => this.keysBeingWritten.delete(key));
        this.batchesBeingWritten--;
        if (this.queue.length > 0) {
          this.scheduleStart();
        }
      });
    }
  }

  /**
   * The queued items, in arrival order, of keys no batch is writing (up to
   * maxBatch). Once an item of a key stays queued, so do the key's later
   * items.
   */
  private takeBatch() {
    const batch: typeof this.queue = [];
    const left: typeof this.queue = [];
    const waiting = new Set<string>();
    for (const pending of this.queue) {
      const key = this.options.keyOf(pending.item);
      if (
        batch.length < this.options.maxBatch &&
        !this.keysBeingWritten.has(key) &&
        !waiting.has(key)
      ) {
        batch.push(pending);
      } else {
        left.push(pending);
        waiting.add(key);
      }
    }
    this.queue.splice(0, this.queue.length, ...left);
    return batch;
  }

  /** Writes a batch and answers its callers; never rejects. */
  private async write(batch: typeof this.queue): Promise<void> {
    try {
      const results = await this.options.write(batch.map(p => p.item));
      batch.forEach((pending, i) => pending.resolve(results[i]));
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
    }
    for (const pending of batch) {
      try {
        const [result] = await this.options.write([pending.item]);
        pending.resolve(result);
      } catch (alone) {
        pending.reject(alone);
      }
    }
  }
}
