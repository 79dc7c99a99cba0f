// @ts-check

/**
 * Small facts the monitor keeps about itself, such as a fingerprint of the
 * health rules config gave it, so that a restart re-judges every job only
 * when those rules changed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('monitor_state', table => {
    table.comment('Facts the monitor keeps about itself');
    table.string('key', 100).primary();
    table.text('value').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('monitor_state');
};
