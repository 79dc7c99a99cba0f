import { Entity } from '@backstage/catalog-model';
import {
  getDeclaredMonitorJobs,
  getMonitorJobKeys,
  MONITOR_JOB_KEYS_ANNOTATION,
  MONITOR_JOBS_ANNOTATION,
} from './entity';

const HOUR = 60 * 60 * 1000;

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'price-service', annotations },
  };
}

describe('jobs declared in an entity annotation', () => {
  it('reads each job with its schedule, in the fields of a report', () => {
    const { jobs, problems } = getDeclaredMonitorJobs(
      entity({
        [MONITOR_JOBS_ANNOTATION]: [
          'nightly-export:',
          '  cron: 0 2 * * *',
          '  timezone: America/New_York',
          '  grace: PT30M',
          '  failure_threshold: 2',
          'hourly-sync:',
          '  every: { hours: 1 }',
        ].join('\n'),
      }),
      'Asia/Tokyo',
    );
    expect(problems).toEqual([]);
    expect(Object.fromEntries(jobs)).toEqual({
      'nightly-export': expect.objectContaining({
        schedule: {
          kind: 'cron',
          cron: '0 2 * * *',
          timezone: 'America/New_York',
        },
        graceMs: HOUR / 2,
        failureThreshold: 2,
      }),
      'hourly-sync': expect.objectContaining({
        schedule: { kind: 'interval', everyMs: HOUR },
      }),
    });
  });

  it('takes the default time zone for a cron schedule that names none, and JSON as YAML', () => {
    const { jobs } = getDeclaredMonitorJobs(
      entity({
        [MONITOR_JOBS_ANNOTATION]: '{"nightly": {"cron": "0 2 * * *"}}',
      }),
      'Asia/Tokyo',
    );
    expect(jobs.get('nightly')?.schedule).toEqual({
      kind: 'cron',
      cron: '0 2 * * *',
      timezone: 'Asia/Tokyo',
    });
  });

  it('names each problem with its job and field, and keeps the jobs it can read', () => {
    const { jobs, problems } = getDeclaredMonitorJobs(
      entity({
        [MONITOR_JOBS_ANNOTATION]: [
          'good:',
          '  every: PT1H',
          'bad-cron:',
          '  cron: 61 * * * *',
          'both:',
          '  every: PT1H',
          '  cron: 0 * * * *',
          'bad-grace:',
          '  every: PT1H',
          '  grace: soon',
        ].join('\n'),
      }),
      'UTC',
    );
    expect([...jobs.keys()]).toEqual(['good']);
    expect(problems).toEqual([
      expect.stringMatching(/^bad-cron: cron /),
      'both: needs exactly one of every or cron',
      expect.stringMatching(/^bad-grace: grace /),
    ]);
  });

  it.each([
    ['not YAML', 'a: [', /^is not YAML: /],
    ['a list', '- nightly', /^must map job keys to their schedules$/],
    ['a word', 'nightly', /^must map job keys to their schedules$/],
  ])('says what is wrong with %s', (_, value, problem) => {
    const { jobs, problems } = getDeclaredMonitorJobs(
      entity({ [MONITOR_JOBS_ANNOTATION]: value }),
      'UTC',
    );
    expect(jobs.size).toBe(0);
    expect(problems).toEqual([expect.stringMatching(problem)]);
  });

  it('counts declared jobs among the keys the entity names, once each', () => {
    expect(
      getMonitorJobKeys(
        entity({
          [MONITOR_JOB_KEYS_ANNOTATION]: 'daily-sync, nightly',
          [MONITOR_JOBS_ANNOTATION]:
            'nightly:\n  every: PT1H\nweekly:\n  every: P7D\n',
        }),
      ),
    ).toEqual(['daily-sync', 'nightly', 'weekly']);
  });
});
