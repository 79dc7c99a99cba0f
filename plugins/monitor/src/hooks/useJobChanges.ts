import { useEffect, useState } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  MONITOR_SIGNAL_CHANNEL,
  MonitorJobSignal,
} from '@tc-portal/plugin-monitor-common';

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
    if (isSignalsAvailable) {
      return undefined;
    }
    const timer = setInterval(() => setVersion(v => v + 1), pollIntervalMs);
    return () => clearInterval(timer);
  }, [isSignalsAvailable, pollIntervalMs]);

  return version;
}
