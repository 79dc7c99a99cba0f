import { parseJobReport } from './report';
import { expectationFromReportSchedule } from './schedule';

const valid = {
  job_key: 'daily-price-sync',
  title: '価格同期処理',
  status: 'success',
  finished_at: '2024-01-25T10:00:00.123456+00:00',
  message: '処理完了',
};

describe('parseJobReport', () => {
  it('accepts the original snippet report', () => {
    expect(parseJobReport(valid)).toEqual({ success: true, report: valid });
  });

  it('drops fields it does not know', () => {
    const result = parseJobReport({ ...valid, extra: 1 });
    expect(result).toEqual({ success: true, report: valid });
  });

  it('names each missing field', () => {
    expect(parseJobReport({})).toEqual({
      success: false,
      problems: [
        { field: 'job_key', message: 'is required' },
        { field: 'title', message: 'is required' },
        { field: 'status', message: 'is required' },
        { field: 'finished_at', message: 'is required' },
      ],
    });
  });

  it.each([null, [], 'text', 42])('refuses a body that is %j', body => {
    expect(parseJobReport(body)).toEqual({
      success: false,
      problems: [{ field: '(body)', message: 'must be a JSON object' }],
    });
  });

  it.each([
    ['2024-01-25T10:00:00Z', true],
    ['2024-01-25T10:00:00.1234567Z', true],
    ['2024-01-25T19:00:00+09:00', true],
    ['2024-01-25T10:00:00', false],
    ['2024-01-25', false],
    ['25/01/2024 10:00', false],
  ])('finished_at %s is accepted: %s', (finishedAt, accepted) => {
    expect(parseJobReport({ ...valid, finished_at: finishedAt }).success).toBe(
      accepted,
    );
  });

  it.each(['   ', 'a\tb', 'a\u0000b'])('refuses the job key %j', jobKey => {
    const result = parseJobReport({ ...valid, job_key: jobKey });
    expect(result.success).toBe(false);
  });
});

describe('the jobs a report says its job depends on', () => {
  const withSchedule = (schedule: object) =>
    parseJobReport({ ...valid, schedule: { every: 'PT1H', ...schedule } });

  it('become its upstream jobs, once each', () => {
    const parsed = withSchedule({ depends_on: ['export', 'fx', 'export'] });
    expect(parsed.success).toBe(true);
    expect(
      expectationFromReportSchedule(
        (parsed as any).report.schedule,
        'Asia/Tokyo',
      ).dependsOn,
    ).toEqual(['export', 'fx']);
  });

  it.each([
    ['a blank key', ['']],
    ['more than 20 keys', Array.from({ length: 21 }, (_, i) => `job-${i}`)],
    ['a text', 'export'],
  ])('are refused as %s, naming the field', (_, dependsOn) => {
    const parsed = withSchedule({ depends_on: dependsOn });
    expect(parsed.success).toBe(false);
    expect((parsed as any).problems[0].field).toMatch(/^schedule\.depends_on/);
  });
});
