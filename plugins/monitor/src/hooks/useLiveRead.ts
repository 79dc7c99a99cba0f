import { DependencyList, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useJobChanges } from './useJobChanges';

/**
 * A read of the monitor's API, read again when jobs change (live on the
 * monitor's signals, at most once a second; polled without them), except
 * on a signal of the data's version it already shows.
 */
export function useLiveRead<T extends { version: string }>(
  read: () => Promise<T>,
  deps: DependencyList,
) {
  const [shownVersion, setShownVersion] = useState<string>();
  const changes = useJobChanges({ shownVersion });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsyncRetry(read, [...deps, changes]);
  useEffect(() => setShownVersion(state.value?.version), [state.value]);
  return state;
}
