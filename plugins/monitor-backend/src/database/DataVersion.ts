import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { isPostgres } from './dialect';

/**
 * The version of the monitor's data, taken after every commit that changes
 * a job: the ETags of the read API and the signals carry it, so that a page
 * or a browser that holds the current version asks for nothing, and a
 * replica serves its summary from memory while the version stands.
 *
 * On PostgreSQL it is a sequence: a version is taken after its commit, so
 * that data read after seeing a version holds every commit before it, and
 * every replica learns the others' versions by reading the sequence
 * (`refresh`). A writer need not wait for its number (one more round trip,
 * a quarter of a one-connection report's time): readers do, through
 * `known()`, so that what they read after holds every commit answered
 * before. SQLite has one writer, this process: the version is counted
 * here. Its text carries the database's identity (or, on SQLite, this
 * process's), so that a version is never taken for one of another store.
 */
export class DataVersion {
  private latest = 0;
  /** Versions being taken: readers wait for them. */
  private readonly taking = new Set<Promise<void>>();

  private constructor(
    private readonly db: Knex,
    private readonly identity: string,
  ) {}

  static async create(db: Knex): Promise<DataVersion> {
    if (!isPostgres(db)) {
      return new DataVersion(db, randomUUID().slice(0, 8));
    }
    await db('monitor_state')
      .insert({ key: 'identity', value: randomUUID().slice(0, 8) })
      .onConflict('key')
      .ignore();
    const { value } = await db('monitor_state')
      .where('key', 'identity')
      .first('value');
    const version = new DataVersion(db, value);
    await version.refresh();
    return version;
  }

  /**
   * The latest version this replica knows of, as text, once the versions
   * being taken when asked are known: what is read after holds every commit
   * answered before the asking. (Versions taken after are not waited for:
   * during a burst there is always one.)
   */
  async known(): Promise<string> {
    if (this.taking.size > 0) {
      await Promise.allSettled([...this.taking]);
    }
    return `${this.identity}.${this.latest}`;
  }

  /**
   * A new version, after a commit that changed jobs. Resolves once the
   * version is known; a writer need not wait for that, `known()` does.
   */
  bump(): Promise<void> {
    if (!isPostgres(this.db)) {
      this.latest += 1;
      return Promise.resolve();
    }
    const taking = this.db
      .raw("select nextval('monitor_data_version') as version")
      .then(({ rows }) => {
        this.latest = Math.max(this.latest, Number(rows[0].version));
      })
      .finally(() => this.taking.delete(taking));
    this.taking.add(taking);
    return taking;
  }

  /**
   * Learns the versions other replicas took; whether it changed. (SQLite:
   * this process is the only writer.)
   */
  async refresh(): Promise<boolean> {
    if (!isPostgres(this.db)) {
      return false;
    }
    const { rows } = await this.db.raw(
      'select last_value, is_called from monitor_data_version',
    );
    const latest = rows[0].is_called ? Number(rows[0].last_value) : 0;
    if (latest > this.latest) {
      this.latest = latest;
      return true;
    }
    return false;
  }
}
