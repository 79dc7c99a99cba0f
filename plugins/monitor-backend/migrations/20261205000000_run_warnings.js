/*
 * What is worth a look about a run without being a failure (slow, early, a
 * duplicate), on the run and, for the list, on its job; and the slot of the
 * job's latest started run, which the next run's start is judged against.
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
    table
      .string('last_start', 64)
      .nullable()
      .comment(
        'JSON [start ms, slot ms]: when the latest started run started (portal clock) and the slot of its schedule it ran for',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('jobs', table => {
    table.dropColumn('latest_warnings');
    table.dropColumn('last_start');
  });
  await knex.schema.alterTable('job_runs', table => {
    table.dropColumn('warnings');
  });
};
