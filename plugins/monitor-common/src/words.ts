import { Duration } from 'luxon';
import { JOB_HEALTH_LABELS, JobHealth } from './healths';
import type { HealthReason } from './reasons';

/**
 * The languages the monitor speaks: Japanese, its default, and English.
 *
 * @public
 */
export const MONITOR_LANGUAGES = ['ja', 'en'] as const;

/**
 * One of {@link MONITOR_LANGUAGES}.
 *
 * @public
 */
export type MonitorLanguage = (typeof MONITOR_LANGUAGES)[number];

/**
 * How durations are worded: the options of luxon's `Duration.toHuman`.
 *
 * @public
 */
export const DURATION_WORDS = {
  unitDisplay: 'short',
  listStyle: 'narrow',
} as const;

/**
 * A duration in words, `1 分、30 秒` or `1 min, 30 sec`: whole seconds from a
 * second on, milliseconds below.
 *
 * @public
 */
export function formatDuration(ms: number, locale?: string): string {
  const parts =
    ms === 0
      ? // rescale() drops zero units, so nothing would be left of 0.
        Duration.fromObject({ seconds: 0 }, { locale })
      : Duration.fromMillis(ms >= 1000 ? Math.round(ms / 1000) * 1000 : ms, {
          locale,
        }).rescale();
  return parts.toHuman(DURATION_WORDS);
}

/**
 * The words of the healths, in each language.
 *
 * @public
 */
export const HEALTH_WORDS = {
  ja: JOB_HEALTH_LABELS,
  en: {
    ok: 'OK',
    running: 'Running',
    late: 'Late',
    error: 'Error',
    missed: 'Missed',
    timeout: 'Timed out',
  },
} as const satisfies Record<MonitorLanguage, Record<JobHealth, string>>;

/**
 * The messages that word a health reason, in each language; `{{name}}`
 * marks a value. The page's labels (the frontend's translations) and the
 * notifications both take them from here, so they say the same.
 *
 * @public
 */
export const HEALTH_REASON_MESSAGES = {
  ja: {
    noRunYet: 'まだ完了した実行はありません',
    succeeded: '直近の実行は成功しました',
    belowThreshold:
      '{{failures}} 回連続で失敗 (しきい値の {{threshold}} 回に達していません)',
    recovering: '復旧中: {{threshold}} 回連続の成功のうち {{successes}} 回まで',
    stillFailing: '直近の実行は失敗しています',
    failed: '直近の実行が失敗しました',
    failedInARow: '{{failures}} 回連続で失敗しました',
    timedOutLatest: '直近の実行がタイムアウトしました',
    timedOut: '最大実行時間 {{maxRuntime}} を過ぎても完了しませんでした',
    tooFast:
      '{{duration}} で完了しました (最短実行時間 {{minRuntime}} に満たないため失敗とみなします)',
    slow: '{{duration}} かかりました。通常の {{p95}} (p95、中央値は {{p50}}) の {{factor}} 倍を超えています',
    late: '{{expectedAt}} までの実行がまだ報告されていません ({{missedAt}} に未実行とみなします)',
    missed: '{{expectedAt}} までに実行されず、猶予 {{grace}} を過ぎました',
    lastReport: '最後の報告: {{time}}',
    noReportYet: 'まだ報告がありません',
    running: '{{startedAt}} に始まった実行が続いています',
  },
  en: {
    noRunYet: 'No run has finished yet',
    succeeded: 'The latest run succeeded',
    belowThreshold:
      '{{failures}} failed runs in a row, below the threshold of {{threshold}}',
    recovering:
      'Recovering: {{successes}} of {{threshold}} successful runs in a row',
    stillFailing: 'The latest runs failed',
    failed: 'The latest run failed',
    failedInARow: '{{failures}} runs in a row failed',
    timedOutLatest: 'The latest run timed out',
    timedOut: 'Still open after the maximum runtime of {{maxRuntime}}',
    tooFast:
      'Finished in {{duration}}, expected at least {{minRuntime}}: counted as failed',
    slow: 'Took {{duration}}, more than {{factor}} times the usual {{p95}} (p95; median {{p50}})',
    late: 'A run due by {{expectedAt}} has not been reported (missed from {{missedAt}})',
    missed: 'No run by {{expectedAt}}, and the grace of {{grace}} has passed',
    lastReport: 'last report: {{time}}',
    noReportYet: 'no report yet',
    running: 'A run started at {{startedAt}} is going on',
  },
} as const;

/**
 * The name of one of the messages of a health reason.
 *
 * @public
 */
export type HealthReasonMessage = keyof (typeof HEALTH_REASON_MESSAGES)['ja'];

/**
 * Words a health reason: which messages, with which values, and how they
 * join. `message` gives a message's words with its values filled in (the
 * frontend's translations, or `fillMessage` on HEALTH_REASON_MESSAGES);
 * `format` words dates and durations. Undefined for a reason it does not
 * know (from a newer backend).
 *
 * @public
 */
export function wordHealthReason(
  reason: HealthReason,
  message: (
    name: HealthReasonMessage,
    values?: Record<string, string>,
  ) => string,
  format: { dateTime(iso: string): string; duration(ms: number): string },
): string | undefined {
  const lastReport = (at: string | null) =>
    at
      ? message('lastReport', { time: format.dateTime(at) })
      : message('noReportYet');
  switch (reason.code) {
    case 'noRunYet':
    case 'succeeded':
    case 'stillFailing':
      return message(reason.code);
    case 'belowThreshold':
      return message('belowThreshold', {
        failures: String(reason.failures),
        threshold: String(reason.threshold),
      });
    case 'recovering':
      return message('recovering', {
        successes: String(reason.successes),
        threshold: String(reason.threshold),
      });
    case 'failed': {
      const failures =
        reason.failures > 1
          ? message('failedInARow', { failures: String(reason.failures) })
          : undefined;
      if (reason.latest !== 'timeout') {
        return failures ?? message('failed');
      }
      return failures
        ? `${failures} · ${message('timedOutLatest')}`
        : message('timedOutLatest');
    }
    case 'tooFast': {
      const words = message('tooFast', {
        duration: format.duration(reason.durationMs),
        minRuntime: format.duration(reason.minRuntimeMs),
      });
      return reason.failures > 1
        ? `${message('failedInARow', {
            failures: String(reason.failures),
          })} · ${words}`
        : words;
    }
    case 'slow': {
      const words = message('slow', {
        duration: format.duration(reason.durationMs),
        p50: format.duration(reason.p50Ms),
        p95: format.duration(reason.p95Ms),
        factor: String(reason.slowFactor),
      });
      return reason.failures > 1
        ? `${message('failedInARow', {
            failures: String(reason.failures),
          })} · ${words}`
        : words;
    }
    case 'timedOut':
      return message('timedOut', {
        maxRuntime: format.duration(reason.maxRuntimeMs),
      });
    case 'late':
      return `${message('late', {
        expectedAt: format.dateTime(reason.expectedAt),
        missedAt: format.dateTime(reason.missedAt),
      })} · ${lastReport(reason.lastReportAt)}`;
    case 'missed':
      return `${message('missed', {
        expectedAt: format.dateTime(reason.expectedAt),
        grace: format.duration(reason.graceMs),
      })} · ${lastReport(reason.lastReportAt)}`;
    case 'running':
      return message('running', {
        startedAt: format.dateTime(reason.startedAt),
      });
    default:
      return undefined;
  }
}

/**
 * A message with its `{{name}}` values filled in.
 *
 * @public
 */
export function fillMessage(
  template: string,
  values: Record<string, string> = {},
): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name) =>
    name in values ? values[name] : whole,
  );
}
