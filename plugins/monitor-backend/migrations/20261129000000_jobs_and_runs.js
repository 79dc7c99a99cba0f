// @ts-check

/**
 * Every run a job reported (its history), and per job the latest finished
 * run (what the page and the badge read).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('job_runs', table => {
    table.comment('Every report a job sent: the history of its runs');
    table.uuid('id').primary().comment('Assigned by the portal when stored');
    table.string('job_key', 200).notNullable();
    table.string('title', 500).notNullable();
    table.string('status', 16).notNullable().comment('success or error');
    table
      .timestamp('finished_at', { useTz: true })
      .notNullable()
      .comment('When the run finished, as the job reported it');
    table
      .timestamp('received_at', { useTz: true })
      .notNullable()
      .comment('When the portal received the report');
    table.text('message').nullable();
    table.index(['job_key', 'finished_at'], 'job_runs_job_key_finished_at_idx');
  });

  await knex.schema.createTable('jobs', table => {
    table.comment('Per job, its latest finished run');
    table.string('job_key', 200).primary();
    table.string('title', 500).notNullable();
    table.string('status', 16).notNullable();
    table.timestamp('finished_at', { useTz: true }).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.text('message').nullable();
    table.uuid('last_run_id').notNullable();
    table.index(['status'], 'jobs_status_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('jobs');
  await knex.schema.dropTable('job_runs');
};
