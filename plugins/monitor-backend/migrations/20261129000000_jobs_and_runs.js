// @ts-check

/**
 * Jobs with their current health, every run they reported (their history),
 * the log of their changes of health, and the keys of deleted jobs.
 *
 * @param {import('knex').Knex} knex
 */
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
      .comment('As the job reported it');
    table
      .text('reported_expectation')
      .nullable()
      .comment(
        'JSON: the schedule, grace and maximum runtime the job reported',
      );
    table
      .timestamp('last_report_at', { useTz: true })
      .nullable()
      .comment('When the latest report of any kind arrived (portal clock)');

    // The latest finished run (latest by finished_at), copied for listing.
    table.string('status', 16).nullable().comment('success, error or timeout');
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

    table.index(['health'], 'jobs_health_idx');
    table.index(['status'], 'jobs_status_idx');
    table.index(['finished_at'], 'jobs_finished_at_idx');
    table.index(['entity_ref'], 'jobs_entity_ref_idx');
    table.index(['next_check_at'], 'jobs_next_check_at_idx');
  });

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

  await knex.schema.createTable('job_status_changes', table => {
    table.comment('Each recorded change of a job health');
    table.bigIncrements('id');
    table.string('job_key', 200).notNullable();
    table.string('from_health', 16).nullable();
    table.string('to_health', 16).notNullable();
    table.text('reason').notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
    table.index(['job_key', 'changed_at'], 'job_status_changes_job_idx');
    table.index(['changed_at'], 'job_status_changes_changed_at_idx');
  });

  await knex.schema.createTable('deleted_jobs', table => {
    table.comment(
      'Deleted jobs: reports of runs before the deletion do not bring them back',
    );
    table.string('job_key', 200).primary();
    table.timestamp('deleted_at', { useTz: true }).notNullable();
    table.string('deleted_by', 400).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deleted_jobs');
  await knex.schema.dropTable('job_status_changes');
  await knex.schema.dropTable('job_runs');
  await knex.schema.dropTable('jobs');
};
