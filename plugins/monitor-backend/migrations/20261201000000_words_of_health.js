/*
 * Names that say what they hold: the changes of a job's health are health
 * changes, and a job's `status` is the outcome of its latest finished run.
 */

// @ts-check

const INDEXES = [
  ['job_status_changes_job_idx', 'job_health_changes_job_idx'],
  ['job_status_changes_changed_at_idx', 'job_health_changes_changed_at_idx'],
  ['job_status_changes_delivery_idx', 'job_health_changes_delivery_idx'],
  ['jobs_status_idx', 'jobs_latest_outcome_idx'],
];

/** Names only PostgreSQL gives: the primary key's index, the id sequence. */
const PG_INDEXES = [['job_status_changes_pkey', 'job_health_changes_pkey']];
const PG_SEQUENCES = [
  ['job_status_changes_id_seq', 'job_health_changes_id_seq'],
];

/**
 * @param {import('knex').Knex} knex
 * @param {'up' | 'down'} direction
 */
async function rename(knex, direction) {
  const [fromTable, toTable] =
    direction === 'up'
      ? ['job_status_changes', 'job_health_changes']
      : ['job_health_changes', 'job_status_changes'];
  const [fromColumn, toColumn] =
    direction === 'up'
      ? ['status', 'latest_outcome']
      : ['latest_outcome', 'status'];
  await knex.schema.renameTable(fromTable, toTable);
  await knex.schema.alterTable('jobs', table => {
    table.renameColumn(fromColumn, toColumn);
  });
  /** @param {string[]} pair */
  const names = pair => (direction === 'up' ? pair : [pair[1], pair[0]]);
  if (knex.client.config.client === 'pg') {
    for (const [from, to] of [...INDEXES, ...PG_INDEXES].map(names)) {
      await knex.raw('ALTER INDEX ?? RENAME TO ??', [from, to]);
    }
    for (const [from, to] of PG_SEQUENCES.map(names)) {
      await knex.raw('ALTER SEQUENCE ?? RENAME TO ??', [from, to]);
    }
    return;
  }
  // SQLite cannot rename an index: it is made again under its new name.
  for (const [from, to] of INDEXES.map(names)) {
    const { sql } = await knex('sqlite_master')
      .where({ type: 'index', name: from })
      .first('sql');
    await knex.raw('DROP INDEX ??', [from]);
    await knex.raw(sql.replace(from, to));
  }
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await rename(knex, 'up');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await rename(knex, 'down');
};
