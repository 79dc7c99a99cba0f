// @ts-check

/**
 * The job list's default order (latest finished first, never-finished last,
 * then by key) as an index, so that its first page reads 20 index entries
 * instead of sorting every job. PostgreSQL and SQLite both use an index on
 * these expressions for the query's ORDER BY.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    'CREATE INDEX jobs_list_order_idx ON jobs ((finished_at IS NULL), finished_at DESC, job_key)',
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX jobs_list_order_idx');
};
