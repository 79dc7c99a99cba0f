import { useCallback, useEffect, useRef, useState } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  MONITOR_SIGNAL_CHANNEL,
  MonitorJobSignal,
} from '@tc-portal/plugin-monitor-common';

/**
 * How often to reload anyway once signals are heard: a signal sent while
 * the connection was down is lost, and this bounds how long that shows.
 */
const SAFETY_POLL_MS = 5 * 60 * 1000;

/**
 * At most one reload per this long, however many reports arrive: a busy
 * portal would otherwise have every open page reload on every report.
 */
const THROTTLE_MS = 1000;

/**
 * A number that grows whenever jobs may have changed: on the monitor's
 * signals, at most once a second; or every `pollIntervalMs` until a signal
 * has been heard (the portal may have no signals, or no connection to
 * them). Use it as a dependency to reload. (A signal says only that jobs
 * changed, and the data's version after the change, not which: what they
 * are is for the read API to tell those who may read it.) A signal of the
 * version the component already shows (`shownVersion`, as its answer
 * carried it) reloads nothing.
 */
export function useJobChanges(
  options: { pollIntervalMs?: number; shownVersion?: string } = {},
): number {
  const { pollIntervalMs = 30_000, shownVersion } = options;
  const shown = useRef(shownVersion);
  shown.current = shownVersion;
  const { lastSignal } = useSignal<MonitorJobSignal>(MONITOR_SIGNAL_CHANNEL);
  const [version, setVersion] = useState(0);
  const [heard, setHeard] = useState(false);
  const lastBump = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout>>();

  const bump = useCallback(() => {
    const wait = lastBump.current + THROTTLE_MS - Date.now();
    if (wait <= 0) {
      lastBump.current = Date.now();
      setVersion(v => v + 1);
    } else if (!pending.current) {
      pending.current = setTimeout(() => {
        pending.current = undefined;
        lastBump.current = Date.now();
        setVersion(v => v + 1);
      }, wait);
    }
  }, []);

  useEffect(() => () => clearTimeout(pending.current), []);

  useEffect(() => {
    if (!lastSignal) {
      return;
    }
    setHeard(true);
    if (
      lastSignal.version === undefined ||
      lastSignal.version !== shown.current
    ) {
      bump();
    }
  }, [lastSignal, bump]);

  useEffect(() => {
    const timer = setInterval(
      () => setVersion(v => v + 1),
      heard ? Math.max(pollIntervalMs, SAFETY_POLL_MS) : pollIntervalMs,
    );
    return () => clearInterval(timer);
  }, [heard, pollIntervalMs]);

  return version;
}
