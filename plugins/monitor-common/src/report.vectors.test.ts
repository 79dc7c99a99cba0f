import vectors from '../test-vectors/job-report.json';
import {
  JOB_REPORT_LIMITS,
  JOB_REPORT_PATH,
  JOB_REPORT_SECRET_HEADER,
  JOB_REPORT_STATUSES,
  parseJobReport,
} from './report';
import { MAX_REPORTED_THRESHOLD } from './schedule';

// The same vectors check the Python reporter (python/tests/test_contract.py):
// what it sends must be what these schemas accept.
describe('the job report contract, as the shared test vectors state it', () => {
  it('has the same path, header, statuses and limits', () => {
    expect(vectors.path).toBe(`/api/monitor${JOB_REPORT_PATH}`);
    expect(vectors.secret_header).toBe(JOB_REPORT_SECRET_HEADER);
    expect(vectors.statuses).toEqual([...JOB_REPORT_STATUSES]);
    expect(vectors.limits).toMatchObject({
      job_key: JOB_REPORT_LIMITS.jobKey,
      title: JOB_REPORT_LIMITS.title,
      host: JOB_REPORT_LIMITS.host,
      threshold: MAX_REPORTED_THRESHOLD,
    });
  });

  it.each(vectors.reporter.map(v => [v.name, v.report] as const))(
    'accepts what the Python reporter sends: %s',
    (_name, report) => {
      expect(parseJobReport(report)).toMatchObject({ success: true });
    },
  );

  it.each(vectors.accepted.map(v => [v.name, v.body] as const))(
    'accepts %s',
    (_name, body) => {
      expect(parseJobReport(body)).toMatchObject({ success: true });
    },
  );

  it.each(vectors.refused.map(v => [v.name, v.body, v.field] as const))(
    'refuses %s, naming %s',
    (_name, body, field) => {
      const result = parseJobReport(body);
      expect(result.success).toBe(false);
      const fields = result.success ? [] : result.problems.map(p => p.field);
      expect(fields).toEqual([field]);
    },
  );
});
