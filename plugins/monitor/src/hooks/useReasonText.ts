import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { HealthReason } from '@tc-portal/plugin-monitor-common';
import { monitorTranslationRef } from '../translation';
import { useFormatters } from './useFormatters';

/**
 * Words a health reason in the viewer's language, with their dates and
 * durations; falls back to the backend's English words for reasons it
 * cannot read.
 */
export function useReasonText(): (
  detail: HealthReason | null,
  fallback: string | null,
) => string {
  const { t } = useTranslationRef(monitorTranslationRef);
  const format = useFormatters();
  return (detail, fallback) => {
    if (!detail) {
      return fallback ?? '';
    }
    const lastReport = (at: string | null) =>
      at
        ? t('reason.lastReport', { time: format.dateTime(at) })
        : t('reason.noReportYet');
    switch (detail.code) {
      case 'noRunYet':
      case 'succeeded':
      case 'stillFailing':
        return t(`reason.${detail.code}`);
      case 'belowThreshold':
        return t('reason.belowThreshold', {
          failures: String(detail.failures),
          threshold: String(detail.threshold),
        });
      case 'recovering':
        return t('reason.recovering', {
          successes: String(detail.successes),
          threshold: String(detail.threshold),
        });
      case 'failed': {
        const failures =
          detail.failures > 1
            ? t('reason.failedInARow', { failures: String(detail.failures) })
            : undefined;
        if (detail.latest !== 'timeout') {
          return failures ?? t('reason.failed');
        }
        return failures
          ? `${failures} · ${t('reason.timedOutLatest')}`
          : t('reason.timedOutLatest');
      }
      case 'timedOut':
        return t('reason.timedOut', {
          maxRuntime: format.duration(detail.maxRuntimeMs),
        });
      case 'late':
        return `${t('reason.late', {
          expectedAt: format.dateTime(detail.expectedAt),
          missedAt: format.dateTime(detail.missedAt),
        })} · ${lastReport(detail.lastReportAt)}`;
      case 'missed':
        return `${t('reason.missed', {
          expectedAt: format.dateTime(detail.expectedAt),
          grace: format.duration(detail.graceMs),
        })} · ${lastReport(detail.lastReportAt)}`;
      case 'running':
        return t('reason.running', {
          startedAt: format.dateTime(detail.startedAt),
        });
      default:
        return fallback ?? '';
    }
  };
}
