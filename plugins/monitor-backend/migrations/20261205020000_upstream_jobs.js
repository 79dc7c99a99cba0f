/*
 * Jobs that depend on other jobs: the keys of the jobs each depends on (as
 * its rules resolve them, and as the catalog's dependsOn relations give
 * them), and, while it fails because one of them fails, that upstream job.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('jobs', table => {
    table
      .text('depends_on')
      .nullable()
      .comment(
        'JSON array: the keys of the jobs this one depends on, as last judged; null for none',
      );
    table
      .text('catalog_depends_on')
      .nullable()
      .comment(
        'JSON array: the keys of the jobs of the entities its entity dependsOn in the catalog; null for none',
      );
    table
      .string('upstream_job_key', 200)
      .nullable()
      .comment(
        'While the job fails because a job it depends on fails: that job (it counts on the badge instead)',
      );
    table.string('upstream_title', 500).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('jobs', table => {
    table.dropColumn('depends_on');
    table.dropColumn('catalog_depends_on');
    table.dropColumn('upstream_job_key');
    table.dropColumn('upstream_title');
  });
};
