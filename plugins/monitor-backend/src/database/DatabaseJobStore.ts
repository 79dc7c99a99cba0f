import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  Job,
  JobListResponse,
  JobReportStatus,
  JobRun,
  JobSummaryResponse,
} from '@tc-portal/plugin-monitor-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { JobStore, NewRun } from './JobStore';

const migrationsDir = resolvePackagePath(
  '@tc-portal/plugin-monitor-backend',
  'migrations',
);

type RunRow = {
  id: string;
  job_key: string;
  title: string;
  status: JobReportStatus;
  finished_at: Date | number | string;
  received_at: Date | number | string;
  message: string | null;
};

type JobRow = Omit<RunRow, 'id'> & { last_run_id: string };

// PostgreSQL returns timestamps as Dates; better-sqlite3 stores and returns
// the epoch milliseconds knex bound for a Date.
function toIsoString(value: Date | number | string): string {
  return new Date(value).toISOString();
}

function jobFromRow(row: JobRow): Job {
  return {
    jobKey: row.job_key,
    title: row.title,
    status: row.status,
    finishedAt: toIsoString(row.finished_at),
    receivedAt: toIsoString(row.received_at),
    message: row.message,
    lastRunId: row.last_run_id,
  };
}

function runFromRow(row: RunRow): JobRun {
  return {
    id: row.id,
    jobKey: row.job_key,
    title: row.title,
    status: row.status,
    finishedAt: toIsoString(row.finished_at),
    receivedAt: toIsoString(row.received_at),
    message: row.message,
  };
}

/**
 * The job store on the plugin's database (SQLite or PostgreSQL).
 */
export class DatabaseJobStore implements JobStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseJobStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseJobStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async recordRun(run: NewRun): Promise<{ id: string }> {
    const row: RunRow = {
      id: randomUUID(),
      job_key: run.jobKey,
      title: run.title,
      status: run.status,
      finished_at: run.finishedAt,
      received_at: run.receivedAt,
      message: run.message,
    };
    const { id, ...jobFields } = row;

    await this.db.transaction(async tx => {
      await tx<RunRow>('job_runs').insert(row);
      // A report that finished earlier than the job's latest run arrived
      // late: it joins the history but does not become the job's state.
      await tx<JobRow>('jobs')
        .insert({ ...jobFields, last_run_id: id })
        .onConflict('job_key')
        .merge()
        .where('jobs.finished_at', '<=', run.finishedAt);
    });

    return { id };
  }

  async listJobs(options: {
    status?: JobReportStatus;
    limit: number;
    offset: number;
  }): Promise<JobListResponse> {
    const filtered = this.db<JobRow>('jobs').modify(query => {
      if (options.status) {
        query.where('status', options.status);
      }
    });

    const [rows, [{ count }]] = await Promise.all([
      filtered
        .clone()
        .select('*')
        .orderBy([
          { column: 'finished_at', order: 'desc' },
          { column: 'job_key', order: 'asc' },
        ])
        .limit(options.limit)
        .offset(options.offset),
      filtered.clone().count({ count: '*' }),
    ]);

    return { items: rows.map(jobFromRow), totalCount: Number(count) };
  }

  async getJob(jobKey: string): Promise<Job | undefined> {
    const row = await this.db<JobRow>('jobs').where('job_key', jobKey).first();
    return row ? jobFromRow(row) : undefined;
  }

  async listRuns(
    jobKey: string,
    options: { limit: number },
  ): Promise<JobRun[]> {
    const rows = await this.db<RunRow>('job_runs')
      .where('job_key', jobKey)
      .orderBy([
        { column: 'finished_at', order: 'desc' },
        { column: 'received_at', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(runFromRow);
  }

  async summary(): Promise<JobSummaryResponse> {
    const [[errors], [all]] = await Promise.all([
      this.db<JobRow>('jobs').where('status', 'error').count({ count: '*' }),
      this.db<JobRow>('jobs').count({ count: '*' }),
    ]);
    return {
      errorCount: Number(errors.count),
      totalCount: Number(all.count),
    };
  }
}
