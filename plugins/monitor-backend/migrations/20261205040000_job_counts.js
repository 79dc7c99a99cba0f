/*
 * The summary's counts kept by the database as the jobs change, so that the
 * badge's numbers never read every job. Each row is a change of how many
 * jobs are in a group (health, acknowledged, failing because of an upstream
 * job): triggers on `jobs` add -1 for the group a job leaves and +1 for the
 * one it joins, in the transaction that changes it. Rows are only ever
 * added by writers, so concurrent writers never wait for one another on
 * them; a reader sums them, and merges them into one row per group from
 * time to time (JobCounts).
 *
 * A table whose rows every report rewrites grows by a dead row version per
 * report until it is vacuumed; counting it meant reading them all (on a
 * PostgreSQL with autovacuum off, 100 ms for 10,000 jobs after a minute of
 * reports).
 */

// @ts-check

const GROUP = (row = 'new') =>
  `${row}.health, ${row}.acknowledged_at IS NOT NULL, ${row}.upstream_job_key IS NOT NULL`;

const CHANGED = `old.health IS DISTINCT FROM new.health
  OR (old.acknowledged_at IS NULL) <> (new.acknowledged_at IS NULL)
  OR (old.upstream_job_key IS NULL) <> (new.upstream_job_key IS NULL)`;

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('job_counts', table => {
    table.comment(
      'Changes of how many jobs are in each group the summary counts; their sums are the counts',
    );
    table.bigIncrements('id').primary();
    table.string('health').notNullable();
    table.boolean('acknowledged').notNullable();
    table
      .boolean('upstream')
      .notNullable()
      .comment('Failing because of an upstream job');
    table
      .integer('jobs')
      .notNullable()
      .comment('How many jobs joined (+) or left (-)');
  });
  await knex.raw(
    `INSERT INTO job_counts (health, acknowledged, upstream, jobs)
     SELECT health, acknowledged_at IS NOT NULL, upstream_job_key IS NOT NULL, count(*)
     FROM jobs GROUP BY 1, 2, 3`,
  );
  /** @type {(row: 'old' | 'new', sign: 1 | -1) => string} */
  const add = (row, sign) =>
    `INSERT INTO job_counts (health, acknowledged, upstream, jobs) VALUES (${GROUP(
      row,
    )}, ${sign})`;
  if (knex.client.config.client === 'pg') {
    await knex.raw(`CREATE FUNCTION job_counts_follow() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN ${add('old', -1)}; END IF;
        IF TG_OP <> 'DELETE' THEN ${add('new', 1)}; END IF;
        RETURN NULL;
      END $$`);
    await knex.raw(`CREATE TRIGGER job_counts_insert_delete
      AFTER INSERT OR DELETE ON jobs
      FOR EACH ROW EXECUTE FUNCTION job_counts_follow()`);
    await knex.raw(`CREATE TRIGGER job_counts_update
      AFTER UPDATE OF health, acknowledged_at, upstream_job_key ON jobs
      FOR EACH ROW WHEN (${CHANGED}) EXECUTE FUNCTION job_counts_follow()`);
    return;
  }
  await knex.raw(`CREATE TRIGGER job_counts_insert AFTER INSERT ON jobs BEGIN
    ${add('new', 1)};
  END`);
  await knex.raw(`CREATE TRIGGER job_counts_delete AFTER DELETE ON jobs BEGIN
    ${add('old', -1)};
  END`);
  await knex.raw(`CREATE TRIGGER job_counts_update
    AFTER UPDATE OF health, acknowledged_at, upstream_job_key ON jobs
    WHEN ${CHANGED.replaceAll('IS DISTINCT FROM', 'IS NOT')} BEGIN
    ${add('old', -1)};
    ${add('new', 1)};
  END`);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP TRIGGER job_counts_update ON jobs');
    await knex.raw('DROP TRIGGER job_counts_insert_delete ON jobs');
    await knex.raw('DROP FUNCTION job_counts_follow()');
  } else {
    await knex.raw('DROP TRIGGER job_counts_insert');
    await knex.raw('DROP TRIGGER job_counts_delete');
    await knex.raw('DROP TRIGGER job_counts_update');
  }
  await knex.schema.dropTable('job_counts');
};
