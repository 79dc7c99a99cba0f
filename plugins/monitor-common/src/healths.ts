/**
 * What the portal concludes about a job now:
 *
 * - `ok`: its runs pass and it reports on time (or has no schedule).
 * - `running`: a run has started and not yet finished.
 * - `late`: a run was due and has not been reported, but the grace period
 *   has not passed yet.
 * - `error`: its runs fail (after `failureThreshold` failures in a row).
 * - `missed`: a run was due and the grace period passed with no report.
 * - `timeout`: a run started and stayed open past the maximum runtime.
 *
 * @public
 */
export const JOB_HEALTHS = [
  'ok',
  'running',
  'late',
  'error',
  'missed',
  'timeout',
] as const;

/**
 * What the portal concludes about a job now, worst last.
 *
 * @public
 */
export type JobHealth = (typeof JOB_HEALTHS)[number];

/**
 * The healths' names in Japanese, the portal's language: the labels the
 * page shows by default, and the words of notifications.
 *
 * @public
 */
export const JOB_HEALTH_LABELS = {
  ok: '正常',
  running: '実行中',
  late: '遅延',
  error: 'エラー',
  missed: '未実行',
  timeout: 'タイムアウト',
} as const satisfies Record<JobHealth, string>;

/**
 * The healths that count as failing: the sidebar badge counts the jobs in
 * them that are neither acknowledged nor muted.
 *
 * @public
 */
export const FAILING_HEALTHS: readonly JobHealth[] = [
  'error',
  'missed',
  'timeout',
];
