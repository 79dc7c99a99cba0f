import {
  describeHealthReason,
  fillMessage,
  formatDuration,
  HEALTH_REASON_MESSAGES,
  HEALTH_WORDS,
  HealthReason,
  JobHealth,
  MonitorLanguage,
  wordHealthReason,
} from '@tc-portal/plugin-monitor-common';

const AFFECTED = {
  ja: '影響を受けている下流のジョブ: ',
  en: 'Downstream jobs failing because of it: ',
} as const satisfies Record<MonitorLanguage, string>;

const TITLE_PREFIXES = {
  ja: {
    failure: '【障害】',
    recovery: '【復旧】',
    reminder: '【未対応】',
    escalation: '【エスカレーション】',
    slow: '【遅延】',
  },
  en: {
    failure: '[Failing] ',
    recovery: '[Recovered] ',
    reminder: '[Still failing] ',
    escalation: '[Escalated] ',
    slow: '[Slower than usual] ',
  },
} as const satisfies Record<MonitorLanguage, unknown>;

/**
 * The words of the notifications, in the configured language
 * (`monitor.notifications.language`), with the same messages as the page;
 * dates in the portal's default time zone.
 */
export function notificationWords(language: MonitorLanguage, timeZone: string) {
  const dateTime = new Intl.DateTimeFormat(language, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  });
  const format = {
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
    duration: (ms: number) => formatDuration(ms, language),
  };
  return {
    title: (
      kind: keyof (typeof TITLE_PREFIXES)['ja'],
      jobTitle: string,
      health: JobHealth,
    ) =>
      // A warning is not of the job's health, which it leaves as it is.
      kind === 'slow'
        ? `${TITLE_PREFIXES[language][kind]}${jobTitle}`
        : `${TITLE_PREFIXES[language][kind]}${jobTitle}: ${HEALTH_WORDS[language][health]}`,
    /** The downstream jobs a failure takes with it. */
    affected: (titles: string[]) =>
      `${AFFECTED[language]}${titles.join(language === 'ja' ? '、' : ', ')}`,
    reason: (reason: HealthReason) =>
      wordHealthReason(
        reason,
        (name, values) =>
          fillMessage(HEALTH_REASON_MESSAGES[language][name], values),
        format,
      ) ?? describeHealthReason(reason),
  };
}
