/**
 * The body of the monitor's signals, on the channel `monitor:jobs`: that
 * jobs changed (a report, a change of health, an acknowledgement, a mute,
 * a deletion), and nothing of which jobs or how. Every signed-in user
 * receives it, including those who may not read jobs, so a page that hears
 * it asks the read API, which checks `monitor.job.read`. A backend sends at
 * most one signal a quarter second, however many reports come in.
 *
 * @public
 */
export type MonitorJobSignal = {
  changed: true;
  /**
   * The version of the data after the change: a page that shows this
   * version (answers carry theirs) has nothing to reload.
   */
  version: string;
};

/**
 * The signal channel the monitor publishes job changes on.
 *
 * @public
 */
export const MONITOR_SIGNAL_CHANNEL = 'monitor:jobs';
