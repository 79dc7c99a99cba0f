import { useEffect, useState } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  MONITOR_SIGNAL_CHANNEL,
  MonitorJobSignal,
} from '@tc-portal/plugin-monitor-common';

/**
 * How often to reload anyway when signals are there: a signal sent while
 * the connection was down is lost, and this bounds how long that shows.
 */
const SAFETY_POLL_MS = 5 * 60 * 1000;

/**
 * A number that grows whenever jobs may have changed: on each of the
 * monitor's signals, or every `pollIntervalMs` when the portal has no
 * signals. Use it as a dependency to reload.
 */
export function useJobChanges(pollIntervalMs = 30_000): number {
  const { lastSignal, isSignalsAvailable } = useSignal<MonitorJobSignal>(
    MONITOR_SIGNAL_CHANNEL,
  );
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (lastSignal) {
      setVersion(v => v + 1);
    }
  }, [lastSignal]);

  useEffect(() => {
    const timer = setInterval(
      () => setVersion(v => v + 1),
      isSignalsAvailable
        ? Math.max(pollIntervalMs, SAFETY_POLL_MS)
        : pollIntervalMs,
    );
    return () => clearInterval(timer);
  }, [isSignalsAvailable, pollIntervalMs]);

  return version;
}
