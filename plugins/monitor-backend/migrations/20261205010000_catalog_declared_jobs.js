/*
 * What a catalog entity declares of a job in its tc-portal.io/monitor-jobs
 * annotation: the job's schedule and limits, between app-config's (which
 * win) and its reports'.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('jobs', table => {
    table
      .text('declared_expectation')
      .nullable()
      .comment(
        'JSON: the schedule, grace, runtimes and thresholds the catalog declares for the job; null when no entity declares it',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('jobs', table => {
    table.dropColumn('declared_expectation');
  });
};
