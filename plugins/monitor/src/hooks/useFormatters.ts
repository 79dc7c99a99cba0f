import { useMemo } from 'react';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { DateTime, Duration } from 'luxon';
import {
  DURATION_WORDS,
  formatDuration,
} from '@tc-portal/plugin-monitor-common';
import { monitorTranslationRef } from '../translation';

/**
 * Dates, durations and numbers in the language the monitor's labels are
 * shown in (Japanese unless the app offers English and the viewer chose
 * it), in the viewer's time zone.
 */
export function useFormatters() {
  const { t } = useTranslationRef(monitorTranslationRef);
  const locale = t('format.locale');
  return useMemo(() => formatters(locale), [locale]);
}

export function formatters(locale?: string) {
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
  const numberFormat = new Intl.NumberFormat(locale);
  return {
    locale,
    dateTime: (iso: string) => dateTimeFormat.format(new Date(iso)),
    relative: (iso: string) =>
      DateTime.fromISO(iso).toRelative({ locale }) ?? iso,
    duration: (ms: number) => formatDuration(ms, locale),
    isoDuration: (iso: string) => {
      const duration = Duration.fromISO(iso, { locale });
      return duration.isValid ? duration.toHuman(DURATION_WORDS) : iso;
    },
    number: (n: number) => numberFormat.format(n),
  };
}

export type Formatters = ReturnType<typeof formatters>;
