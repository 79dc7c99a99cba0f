/*
 * The jobs that depend on other jobs, indexed apart: when a job starts or
 * stops failing, the jobs that name it in their dependencies are looked
 * for among these alone (most jobs depend on none), not among every job.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('jobs', table => {
    table.index(['job_key'], 'jobs_with_dependencies_idx', {
      predicate: knex.whereNotNull('depends_on'),
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('jobs', table => {
    table.dropIndex(['job_key'], 'jobs_with_dependencies_idx');
  });
};
