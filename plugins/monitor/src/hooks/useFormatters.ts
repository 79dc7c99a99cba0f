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

/** How durations are worded: `1 分、30 秒`, `1 min, 30 sec`. */
const HUMAN = { unitDisplay: 'short', listStyle: 'narrow' } as const;

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
    /** Whole seconds from a second on; milliseconds below. */
    duration: (ms: number) => {
      const parts = Duration.fromMillis(
        ms >= 1000 ? Math.round(ms / 1000) * 1000 : ms,
        { locale },
      ).rescale();
      // rescale() drops zero units, so nothing is left of 0.
      return (
        ms === 0 ? Duration.fromObject({ seconds: 0 }, { locale }) : parts
      ).toHuman(HUMAN);
    },
    isoDuration: (iso: string) => {
      const duration = Duration.fromISO(iso, { locale });
      return duration.isValid ? duration.toHuman(HUMAN) : iso;
    },
    number: (n: number) => numberFormat.format(n),
  };
}

export type Formatters = ReturnType<typeof formatters>;
