/*
 * What people did to a job's attention (acknowledge, take an
 * acknowledgement back, mute, unmute), who and when: the job row keeps only
 * the acknowledgement and the mute that hold now.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('job_attention_changes', table => {
    table.comment(
      'Acknowledgements and mutes given and taken back: by whom, when',
    );
    table.bigIncrements('id');
    table.string('job_key', 200).notNullable();
    table
      .string('kind', 16)
      .notNullable()
      .comment('acknowledged, unacknowledged, muted or unmuted');
    table.string('by', 400).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table
      .text('note')
      .nullable()
      .comment('The comment of an acknowledgement, the reason of a mute');
    table
      .timestamp('until', { useTz: true })
      .nullable()
      .comment('When a mute ends');
    table.index(['job_key', 'at'], 'job_attention_changes_job_idx');
    table.index(['at'], 'job_attention_changes_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('job_attention_changes');
};
