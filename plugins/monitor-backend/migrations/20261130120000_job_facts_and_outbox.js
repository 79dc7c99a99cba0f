/*
 * What judging a job needs, kept on its row so a report is judged without
 * reading its runs again, and the delivery state of each change of health
 * (an outbox: notifications are sent from these rows, after the commit).
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('jobs', table => {
    table
      .text('recent_runs')
      .nullable()
      .comment(
        'JSON: the latest finished runs, newest first, as [id, outcome, finished ms, received ms]; null until first rebuilt from job_runs',
      );
    table
      .text('open_runs')
      .nullable()
      .comment(
        'JSON: the open runs, oldest first, as [id, run id, received ms, started ms]; null until first rebuilt from job_runs',
      );
  });
  await knex.schema.alterTable('job_status_changes', table => {
    table
      .string('delivery', 16)
      .notNullable()
      .defaultTo('none')
      .comment(
        'pending: a notification is to be sent; sent; none (nobody to tell); expired (given up)',
      );
    table
      .timestamp('claimed_until', { useTz: true })
      .nullable()
      .comment('A replica is sending it until then');
    table.timestamp('delivered_at', { useTz: true }).nullable();
    table.index(['delivery'], 'job_status_changes_delivery_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('job_status_changes', table => {
    table.dropIndex(['delivery'], 'job_status_changes_delivery_idx');
    table.dropColumn('delivered_at');
    table.dropColumn('claimed_until');
    table.dropColumn('delivery');
  });
  await knex.schema.alterTable('jobs', table => {
    table.dropColumn('open_runs');
    table.dropColumn('recent_runs');
  });
};
