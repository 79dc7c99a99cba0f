/**
 * What a job needs to report: where, with which secret, as which job.
 *
 * @public
 */
export type ReporterSettings = {
  /** The webhook's full URL, e.g. https://portal.example.com/api/monitor/job-report */
  url: string;
  jobKey: string;
  title: string;
  /** Shown as a placeholder unless given. */
  secret?: string;
};

const SECRET_PLACEHOLDER = '<シークレット値>';

/** A value on one line, as a comment or a shell word may hold it. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

/** A value inside single quotes in a POSIX shell. */
function shellQuoted(value: string): string {
  return value.replace(/'/g, `'\\''`);
}

/**
 * How to report from a Python script with the reporter in this package
 * (`python/tc_portal_monitor.py`), filled in for one job.
 *
 * @public
 */
export function pythonReporterSnippet(settings: ReporterSettings): string {
  const url = oneLine(settings.url);
  const secret = oneLine(settings.secret ?? SECRET_PLACEHOLDER);
  const jobKey = oneLine(settings.jobKey);
  const title = oneLine(settings.title);
  return `# 1. tc_portal_monitor.py (@tc-portal/plugin-monitor-common の python/) をスクリプトの隣に置く
# 2. 環境変数 (タスクスケジューラの「操作」や cron で設定)
#    TC_PORTAL_MONITOR_URL=${url}
#    TC_PORTAL_WEBHOOK_SECRET=${secret}
#    TC_PORTAL_JOB_KEY=${jobKey}
#    TC_PORTAL_JOB_TITLE=${title}
from tc_portal_monitor import report_job_status

def main():
    try:
        process_data()  # 既存の処理
        report_job_status("success", "処理完了")
    except Exception as e:
        report_job_status("error", str(e))
        raise

if __name__ == "__main__":
    main()
`;
}

/**
 * The same report with curl, for a first try.
 *
 * @public
 */
export function curlReportSnippet(settings: ReporterSettings): string {
  const body = JSON.stringify({
    job_key: settings.jobKey,
    title: settings.title,
    status: 'success',
    finished_at: '2024-01-25T10:00:00Z',
    message: 'テスト報告',
  });
  const secret = shellQuoted(oneLine(settings.secret ?? SECRET_PLACEHOLDER));
  return `curl -X POST '${shellQuoted(oneLine(settings.url))}' \\
  -H 'Content-Type: application/json' \\
  -H 'X-TC-Portal-Webhook-Secret: ${secret}' \\
  -d '${shellQuoted(body)}'
`;
}
