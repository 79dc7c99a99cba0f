import { useCallback, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { monitorTranslationRef } from '../../../translation';

/** Runs one of a job's actions at a time. */
export type JobAction = {
  /** Whether an action is under way (the others wait). */
  busy: boolean;
  /**
   * Runs an action; says whether it succeeded. A failure is shown in an
   * alert, in the backend's own words where it gave them.
   */
  run(action: () => Promise<unknown>): Promise<boolean>;
};

export function useJobAction(): JobAction {
  const alertApi = useApi(alertApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (action: () => Promise<unknown>) => {
      setBusy(true);
      try {
        await action();
        return true;
      } catch (error) {
        alertApi.post({
          message: t('actions.failed', {
            // A ResponseError carries the backend's words.
            message:
              (error as { body?: { error?: { message?: string } } }).body?.error
                ?.message ?? String((error as Error).message ?? error),
          }),
          severity: 'error',
        });
        return false;
      } finally {
        setBusy(false);
      }
    },
    [alertApi, t],
  );
  return { busy, run };
}
