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
 * (`refresh`). SQLite has one writer, this process: the version is counted
 * here. Its text carries the database's identity (or, on SQLite, this
 * process's), so that a version is never taken for one of another store.
 */
export class DataVersion {
  private known = 0;

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

  /** The latest version this replica knows of, as text. */
  get current(): string {
    return `${this.identity}.${this.known}`;
  }

  /** A new version, after a commit that changed jobs. */
  async bump(): Promise<void> {
    if (!isPostgres(this.db)) {
      this.known += 1;
      return;
    }
    const { rows } = await this.db.raw(
      "select nextval('monitor_data_version') as version",
    );
    this.known = Math.max(this.known, Number(rows[0].version));
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
    if (latest > this.known) {
      this.known = latest;
      return true;
    }
    return false;
  }
}
