/*
 * What is worth a look about a run without being a failure (first: slow, a
 * success far longer than the job's usual runs), on the run and, for the
 * list, on its job.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('job_runs', table => {
    table
      .text('warnings')
      .nullable()
      .comment(
        'JSON: the run warnings, such as {"kind":"slow",...}; null for none',
      );
  });
  await knex.schema.alterTable('jobs', table => {
    table
      .string('latest_warnings', 100)
      .nullable()
      .comment(
        "The kinds of the latest finished run's warnings, comma-separated; null for none",
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('jobs', table => {
    table.dropColumn('latest_warnings');
  });
  await knex.schema.alterTable('job_runs', table => {
    table.dropColumn('warnings');
  });
};
