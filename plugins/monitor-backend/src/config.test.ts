import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readFileSync } from 'node:fs';
import { readMonitorSettings } from './config';

function read(monitor: JsonObject) {
  return readMonitorSettings(new ConfigReader({ monitor }));
}

describe('readMonitorSettings', () => {
  it('fills in the defaults', () => {
    expect(read({})).toMatchObject({
      defaults: { graceMs: 15 * 60 * 1000, maxRuntimeMs: 60 * 60 * 1000 },
      defaultTimezone: 'UTC',
      retention: { maxRunsPerJob: 1000, maxAgeMs: 90 * 24 * 60 * 60 * 1000 },
      limits: { maxBodySize: '1mb', maxMessageLength: 16_384 },
      notifications: { enabled: true, pagePath: '/monitor', language: 'ja' },
    });
  });

  it('stores whole the tail of a traceback the Python reporter sends', () => {
    const vectors = JSON.parse(
      readFileSync(
        resolvePackagePath(
          '@tc-portal/plugin-monitor-common',
          'test-vectors/job-report.json',
        ),
        'utf8',
      ),
    );
    expect(read({}).limits.maxMessageLength).toBeGreaterThanOrEqual(
      vectors.limits.reporter_message_tail,
    );
  });

  it('reads a job, durations in either form', () => {
    const settings = read({
      defaultTimezone: 'Asia/Tokyo',
      jobs: {
        'daily-price-sync': {
          schedule: { cron: '0 2 * * *' },
          grace: { minutes: 30 },
          maxRuntime: 'PT2H',
          minRuntime: { minutes: 5 },
          entityRef: 'component:price-service',
          failureThreshold: 3,
          remindEvery: 'PT1H',
          escalateTo: 'parent',
        },
      },
    });
    expect(settings.jobs.get('daily-price-sync')).toEqual({
      title: undefined,
      expectation: {
        schedule: { kind: 'cron', cron: '0 2 * * *', timezone: 'Asia/Tokyo' },
        graceMs: 30 * 60 * 1000,
        maxRuntimeMs: 2 * 60 * 60 * 1000,
        minRuntimeMs: 5 * 60 * 1000,
      },
      entityRef: 'component:default/price-service',
      failureThreshold: 3,
      recoveryThreshold: undefined,
      reminders: { remindEveryMs: 60 * 60 * 1000, escalateTo: 'parent' },
    });
  });

  it.each([
    [{ defaultTimezone: 'Mars/Base' }, 'monitor.defaultTimezone'],
    [
      { jobs: { a: { schedule: { cron: '99 * * * *' } } } },
      'monitor.jobs.a.schedule',
    ],
    [{ jobs: { a: { schedule: {} } } }, 'needs exactly one of every or cron'],
    [
      { jobs: { a: { failureThreshold: 0 } } },
      'monitor.jobs.a.failureThreshold',
    ],
    [{ jobs: { a: { entityRef: 'nokind' } } }, 'monitor.jobs.a.entityRef'],
    [{ jobs: { a: { grace: 'PT0S' } } }, 'monitor.jobs.a.grace'],
    [{ jobs: { a: { minRuntime: 'PT0S' } } }, 'monitor.jobs.a.minRuntime'],
    [{ limits: { maxBodySize: '1M' } }, 'monitor.limits.maxBodySize'],
    [{ limits: { maxMessageLength: 10 } }, 'monitor.limits.maxMessageLength'],
    [{ retention: { maxRunsPerJob: 0 } }, 'monitor.retention.maxRunsPerJob'],
    [{ checkFrequency: { milliseconds: 1 } }, 'monitor.checkFrequency'],
    [{ notifications: { language: 'de' } }, 'monitor.notifications.language'],
    [
      { maintenance: [{ cron: '0 2 * * 0' }] },
      'monitor.maintenance[0].duration',
    ],
    [
      { maintenance: [{ cron: '0 25 * * *', duration: 'PT1H' }] },
      'monitor.maintenance[0].cron',
    ],
    [
      { maintenance: [{ start: '2026-12-24', end: '2026-12-25T00:00:00Z' }] },
      'monitor.maintenance[0].start',
    ],
    [
      {
        maintenance: [
          { start: '2026-12-25T00:00:00Z', end: '2026-12-24T00:00:00Z' },
        ],
      },
      'monitor.maintenance[0]: end must be after start',
    ],
    [
      { maintenance: [{ end: '2026-12-25T00:00:00Z', owners: ['group:/'] }] },
      'monitor.maintenance[0].owners',
    ],
    [
      { maintenance: [{ reason: 'x' }] },
      'monitor.maintenance[0]: a window needs cron and duration, or start and end',
    ],
    [
      { notifications: { remindEvery: { milliseconds: 10 } } },
      'monitor.notifications.remindEvery',
    ],
    [{ jobs: { a: { escalateTo: 'nokind' } } }, 'monitor.jobs.a.escalateTo'],
  ])('refuses %j, naming %s', (monitor, expected) => {
    expect(() => read(monitor)).toThrow(expected);
  });
});
