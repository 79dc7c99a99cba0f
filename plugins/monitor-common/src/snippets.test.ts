import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { curlReportSnippet, pythonReporterSnippet } from './snippets';

const run = promisify(execFile);

const awkward = {
  url: 'http://portal.test/api/monitor/job-report',
  jobKey: "it's-a-job",
  title: "O'Brien の\nジョブ; rm -rf /",
};

describe('reporting snippets', () => {
  it('gives curl exactly the report, whatever the title holds', async () => {
    // curl is replaced by a function that prints the arguments it gets.
    const { stdout } = await run('bash', [
      '-c',
      `curl() { printf '%s\\0' "$@"; }\n${curlReportSnippet(awkward)}`,
    ]);
    const args = stdout.split('\0');
    expect(args[args.indexOf('-X') + 2]).toBe(awkward.url);
    const body = JSON.parse(args[args.indexOf('-d') + 1]);
    expect(body).toMatchObject({
      job_key: "it's-a-job",
      title: "O'Brien の\nジョブ; rm -rf /",
      status: 'success',
    });
  });

  it('keeps every filled-in value on its comment line', () => {
    const lines = pythonReporterSnippet(awkward).split('\n');
    const title = lines.find(line => line.includes('TC_PORTAL_JOB_TITLE='));
    expect(title).toBe("#    TC_PORTAL_JOB_TITLE=O'Brien の ジョブ; rm -rf /");
    expect(lines.filter(line => line.includes('rm -rf'))).toHaveLength(1);
  });
});
