import { useMemo } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { appLanguageApiRef } from '@backstage/core-plugin-api/alpha';
import { DateTime, Duration } from 'luxon';

/**
 * Dates, durations and numbers in the viewer's language (the app's, else
 * the browser's) and local time zone.
 */
export function useFormatters() {
  const languageApi = useApiHolder().get(appLanguageApiRef);
  const locale = languageApi?.getLanguage().language;
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
    duration: (ms: number) => {
      if (ms < 1000) {
        return Duration.fromObject({ milliseconds: ms }, { locale }).toHuman({
          unitDisplay: 'narrow',
        });
      }
      const rounded = Duration.fromMillis(Math.round(ms / 1000) * 1000, {
        locale,
      })
        .shiftTo('hours', 'minutes', 'seconds')
        .toObject();
      const parts = Object.fromEntries(
        Object.entries(rounded).filter(([, value]) => value),
      );
      return Duration.fromObject(parts, { locale }).toHuman({
        unitDisplay: 'narrow',
        listStyle: 'narrow',
      });
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
