import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  HealthReason,
  wordHealthReason,
} from '@tc-portal/plugin-monitor-common';
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
  return (detail, fallback) =>
    (detail &&
      wordHealthReason(
        detail,
        (name, values) => t(`reason.${name}`, values as any),
        format,
      )) ||
    (fallback ?? '');
}
