import { parseJobReport } from './report';

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
