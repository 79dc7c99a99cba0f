import { JobHealth } from '../healths';

/**
 * A job that changed (a report, a change of health, an acknowledgement, a
 * mute, a deletion), as the monitor's signals carry it.
 *
 * @public
 */
export type MonitorJobChange = {
  jobKey: string;
  health: JobHealth | null;
  /** Whether the job was deleted. */
  deleted?: boolean;
};

/**
 * The body of the monitor's signals, on the channel `monitor:jobs`: the jobs
 * that changed since the backend's previous signal, each once, as it is now.
 * A backend sends at most one signal a quarter second, however many reports
 * come in.
 *
 * @public
 */
export type MonitorJobSignal = {
  jobs: MonitorJobChange[];
};

/**
 * The signal channel the monitor publishes job changes on.
 *
 * @public
 */
export const MONITOR_SIGNAL_CHANNEL = 'monitor:jobs';
