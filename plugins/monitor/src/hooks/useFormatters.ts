import { useMemo } from 'react';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { DateTime, Duration } from 'luxon';
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

function unit(locale: string | undefined, name: string, value: number) {
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: name,
    unitDisplay: 'narrow',
  }).format(value);
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
    duration: (ms: number) => {
      if (ms < 1000) {
        return unit(locale, 'millisecond', ms);
      }
      const total = Math.round(ms / 1000);
      const parts: Array<[string, number]> = [
        ['hour', Math.floor(total / 3600)],
        ['minute', Math.floor((total % 3600) / 60)],
        ['second', total % 60],
      ];
      return parts
        .filter(([, value]) => value > 0)
        .map(([name, value]) => unit(locale, name, value))
        .join(' ');
    },
    isoDuration: (iso: string) => {
      const duration = Duration.fromISO(iso, { locale });
      return duration.isValid
        ? duration.toHuman({ unitDisplay: 'short', listStyle: 'narrow' })
        : iso;
    },
    number: (n: number) => numberFormat.format(n),
  };
}

export type Formatters = ReturnType<typeof formatters>;
