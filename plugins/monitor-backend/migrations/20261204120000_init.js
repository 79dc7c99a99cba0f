/*
 * The monitor's tables: every job with its health and the facts that judge
 * it, every run it reported (its history), the changes of its health, the
 * notices still to send (an outbox), what people did to its attention, the
 * jobs catalog entities name, deleted jobs, and facts the monitor keeps
 * about itself.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('jobs', table => {
    table.comment('Every job, with its latest finished run and its health');
    table.string('job_key', 200).primary();
    table.string('title', 500).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the portal first knew the job (a report, or config)');
    table
      .string('entity_ref', 400)
      .nullable()
      .comment(
        "The job's one entity: config's, else the catalog annotation's, else its reports'",
      );
    table
      .string('entity_source', 16)
      .nullable()
      .comment('What links the job to entity_ref: config, catalog or report');
    table
      .string('reported_entity_ref', 400)
      .nullable()
      .comment('The entity the latest report that named one named');
    table
      .text('reported_expectation')
      .nullable()
      .comment(
        'JSON: the schedule, grace, maximum runtime and thresholds the job reported',
      );
    table
      .timestamp('last_report_at', { useTz: true })
      .nullable()
      .comment('When the latest report of any kind arrived (portal clock)');

    // The latest finished run (latest by finished_at), copied for listing.
    table
      .string('latest_outcome', 16)
      .nullable()
      .comment('success, error or timeout');
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.timestamp('received_at', { useTz: true }).nullable();
    table.text('message').nullable();
    table.uuid('last_run_id').nullable();
    table.bigInteger('duration_ms').nullable();
    table
      .string('recent_outcomes', 32)
      .notNullable()
      .defaultTo('')
      .comment(
        'Latest finished runs, newest first: s(uccess) e(rror) t(imeout)',
      );

    // Health, as last decided by the health rules.
    table.string('health', 16).notNullable();
    table.boolean('failing').notNullable().defaultTo(false);
    table.timestamp('health_since', { useTz: true }).notNullable();
    table.text('health_reason').nullable();
    table.timestamp('next_check_at', { useTz: true }).nullable();
    table.timestamp('next_expected_at', { useTz: true }).nullable();

    table.timestamp('acknowledged_at', { useTz: true }).nullable();
    table.string('acknowledged_by', 400).nullable();
    table.text('acknowledgement_comment').nullable();

    table.timestamp('muted_at', { useTz: true }).nullable();
    table.timestamp('muted_until', { useTz: true }).nullable();
    table.string('muted_by', 400).nullable();
    table.text('mute_reason').nullable();

    table
      .timestamp('maintenance_until', { useTz: true })
      .nullable()
      .comment(
        'The end of the maintenance window that covered the job when it was last judged',
      );
    table.text('maintenance_reason').nullable();
    table
      .text('maintenance_windows')
      .nullable()
      .comment(
        "JSON: the job's own one-off maintenance windows, until a report comes after their end",
      );
    table
      .timestamp('failing_since', { useTz: true })
      .nullable()
      .comment('When its health last became failing; null while not failing');
    table
      .timestamp('reminded_at', { useTz: true })
      .nullable()
      .comment('When its owners were last reminded of this failure');
    table
      .timestamp('escalated_at', { useTz: true })
      .nullable()
      .comment('When this failure was escalated');

    // What judging needs, kept here so that a report is judged without
    // reading the job's runs again.
    table
      .text('recent_runs')
      .nullable()
      .comment(
        'JSON: the latest finished runs, newest first, as [id, outcome, finished ms, received ms]; null until rebuilt from job_runs',
      );
    table
      .text('open_runs')
      .nullable()
      .comment(
        'JSON: the open runs, oldest first, as [id, run id, received ms, started ms]; null until rebuilt from job_runs',
      );

    table.index(['health'], 'jobs_health_idx');
    table.index(['latest_outcome'], 'jobs_latest_outcome_idx');
    table.index(['finished_at'], 'jobs_finished_at_idx');
    table.index(['entity_ref'], 'jobs_entity_ref_idx');
    table.index(['next_check_at'], 'jobs_next_check_at_idx');
    // The summary's counts of acknowledged and muted jobs.
    table.index(['acknowledged_at'], 'jobs_acknowledged_at_idx');
    table.index(['muted_until'], 'jobs_muted_until_idx');
    table.index(['maintenance_until'], 'jobs_maintenance_until_idx');
  });
  // The list's default order (latest finished first, never finished last,
  // then by key): its first page reads 20 index entries, sorting nothing.
  await knex.raw(
    'CREATE INDEX jobs_list_order_idx ON jobs ((finished_at IS NULL), finished_at DESC, job_key)',
  );
  await createSearchIndex(knex);

  await knex.schema.createTable('job_runs', table => {
    table.comment('Every run a job reported: its history');
    table.uuid('id').primary().comment('Assigned by the portal');
    table.string('job_key', 200).notNullable();
    table
      .string('run_id', 36)
      .nullable()
      .comment("The reporter's run id: retries and start/finish share it");
    table.string('title', 500).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('running, success, error or timeout');
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table
      .timestamp('received_at', { useTz: true })
      .notNullable()
      .comment("When the run's first report arrived (portal clock)");
    table.bigInteger('duration_ms').nullable();
    table.integer('exit_code').nullable();
    table.string('host', 255).nullable();
    table.text('message').nullable();
    table.unique(['job_key', 'run_id'], {
      indexName: 'job_runs_job_key_run_id_uniq',
    });
    table.index(['job_key', 'finished_at'], 'job_runs_job_key_finished_at_idx');
    table.index(['job_key', 'received_at'], 'job_runs_job_key_received_at_idx');
    table.index(['job_key', 'status'], 'job_runs_job_key_status_idx');
    table.index(['received_at'], 'job_runs_received_at_idx');
  });

  await knex.schema.createTable('job_health_changes', table => {
    table.comment('Each recorded change of a job health');
    table.bigIncrements('id');
    table.string('job_key', 200).notNullable();
    table.string('from_health', 16).nullable();
    table.string('to_health', 16).notNullable();
    table.text('reason').notNullable().comment('JSON: why');
    table.timestamp('changed_at', { useTz: true }).notNullable();
    table.index(['job_key', 'changed_at'], 'job_health_changes_job_idx');
    table.index(['changed_at'], 'job_health_changes_changed_at_idx');
  });

  await knex.schema.createTable('job_notices', table => {
    table.comment(
      'Notifications to send (an outbox): written in the transaction that decided them, sent after its commit',
    );
    table.bigIncrements('id');
    table.string('job_key', 200).notNullable();
    table
      .string('kind', 16)
      .notNullable()
      .comment('failure, recovery, reminder or escalation');
    table
      .string('severity', 16)
      .notNullable()
      .comment('critical, high or normal');
    table
      .text('recipients')
      .notNullable()
      .comment(
        'JSON: the entity refs to tell, or { parentOf } for the parent group of an owner',
      );
    table.string('from_health', 16).nullable();
    table.string('to_health', 16).notNullable();
    table.text('reason').notNullable().comment('JSON: why');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When it was decided');
    table
      .string('delivery', 16)
      .notNullable()
      .defaultTo('pending')
      .comment('pending, sent, or expired (given up after a day)');
    table
      .timestamp('claimed_until', { useTz: true })
      .nullable()
      .comment('A replica is sending it until then');
    table.timestamp('delivered_at', { useTz: true }).nullable();
    table.index(['delivery'], 'job_notices_delivery_idx');
    table.index(['created_at'], 'job_notices_created_at_idx');
  });

  await knex.schema.createTable('job_attention_changes', table => {
    table.comment(
      'Acknowledgements, mutes and maintenance windows given and taken back: by whom, when',
    );
    table.bigIncrements('id');
    table.string('job_key', 200).notNullable();
    table
      .string('kind', 24)
      .notNullable()
      .comment(
        'acknowledged, unacknowledged, muted, unmuted, maintenance-added or maintenance-ended',
      );
    table.string('by', 400).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table
      .text('note')
      .nullable()
      .comment('The comment of an acknowledgement, the reason of a mute');
    table
      .timestamp('until', { useTz: true })
      .nullable()
      .comment('When a mute ends');
    table.index(['job_key', 'at'], 'job_attention_changes_job_idx');
    table.index(['at'], 'job_attention_changes_at_idx');
  });

  await knex.schema.createTable('job_catalog_links', table => {
    table.comment(
      'Jobs that catalog entities name in their annotation, as last read',
    );
    table.string('job_key', 200).primary();
    table.string('entity_ref', 400).notNullable();
  });

  await knex.schema.createTable('deleted_jobs', table => {
    table.comment(
      'Deleted jobs: reports of runs before the deletion do not bring them back',
    );
    table.string('job_key', 200).primary();
    table.timestamp('deleted_at', { useTz: true }).notNullable();
    table.string('deleted_by', 400).notNullable();
  });

  if (knex.client.config.client === 'pg') {
    // The version of the monitor's data: taken after every commit that
    // changes a job, so that each replica knows (polling it) whether what
    // it serves from memory, and the ETags it gave, are still current.
    await knex.raw('CREATE SEQUENCE monitor_data_version');
  }

  await knex.schema.createTable('monitor_state', table => {
    table.comment(
      'Facts the monitor keeps about itself, such as a fingerprint of the rules config gave it',
    );
    table.string('key', 100).primary();
    table.text('value').notNullable();
  });
};

/**
 * Finds jobs by any part of their key or title of three characters or
 * more (Japanese titles included) through an index: trigrams. SQLite keeps
 * them in an FTS5 table that triggers keep in step with the jobs; on
 * PostgreSQL, pg_trgm indexes the expressions the list searches. A
 * PostgreSQL that will not create the extension searches without them.
 *
 * @param {import('knex').Knex} knex
 */
async function createSearchIndex(knex) {
  if (knex.client.config.client !== 'pg') {
    await knex.raw(
      "CREATE VIRTUAL TABLE jobs_search USING fts5(job_key, title, tokenize = 'trigram')",
    );
    await knex.raw(`CREATE TRIGGER jobs_search_insert AFTER INSERT ON jobs BEGIN
      INSERT INTO jobs_search (rowid, job_key, title) VALUES (new.rowid, new.job_key, new.title);
    END`);
    await knex.raw(`CREATE TRIGGER jobs_search_delete AFTER DELETE ON jobs BEGIN
      DELETE FROM jobs_search WHERE rowid = old.rowid;
    END`);
    await knex.raw(`CREATE TRIGGER jobs_search_update AFTER UPDATE OF title ON jobs
      WHEN old.title IS NOT new.title BEGIN
      UPDATE jobs_search SET title = new.title WHERE rowid = old.rowid;
    END`);
    return;
  }
  await knex.raw('SAVEPOINT search_index');
  try {
    await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  } catch {
    await knex.raw('ROLLBACK TO SAVEPOINT search_index');
    return;
  }
  await knex.raw(
    'CREATE INDEX jobs_job_key_trgm_idx ON jobs USING gin (lower(job_key) gin_trgm_ops)',
  );
  await knex.raw(
    'CREATE INDEX jobs_title_trgm_idx ON jobs USING gin (lower(title) gin_trgm_ops)',
  );
}

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client !== 'pg') {
    await knex.raw('DROP TABLE jobs_search');
  }
  for (const table of [
    'monitor_state',
    'deleted_jobs',
    'job_catalog_links',
    'job_attention_changes',
    'job_notices',
    'job_health_changes',
    'job_runs',
    'jobs',
  ]) {
    await knex.schema.dropTable(table);
  }
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP SEQUENCE monitor_data_version');
  }
};
