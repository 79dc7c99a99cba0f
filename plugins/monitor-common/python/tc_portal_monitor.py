"""Report a job's result to the TC Portal job monitor.

Standard library only. Configure with environment variables:

    TC_PORTAL_MONITOR_URL     the webhook, e.g. https://portal.example.com/api/monitor/job-report
    TC_PORTAL_WEBHOOK_SECRET  the shared secret (monitor.webhookSecret on the portal)
    TC_PORTAL_JOB_KEY         the job's unique key, e.g. daily-price-sync
    TC_PORTAL_JOB_TITLE       the name shown in the portal, e.g. 価格同期処理

When any of them is missing the report is skipped (handy on a developer's
machine). Reporting is best effort: a failed report is printed, never raised,
so it cannot break the job that sends it.

    from tc_portal_monitor import report_job_status

    try:
        run_the_job()
        report_job_status("success", "処理完了")
    except Exception as e:
        report_job_status("error", str(e))
        raise

or, from a shell or scheduler after the job ran:

    python3 tc_portal_monitor.py success "処理完了"
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Optional

SECRET_HEADER = "X-TC-Portal-Webhook-Secret"
TIMEOUT_SECONDS = 10
ENVIRONMENT_VARIABLES = (
    "TC_PORTAL_MONITOR_URL",
    "TC_PORTAL_WEBHOOK_SECRET",
    "TC_PORTAL_JOB_KEY",
    "TC_PORTAL_JOB_TITLE",
)


def _log(text: str) -> None:
    print(f"[TC Portal] {text}")


def _error_detail(error: urllib.error.HTTPError) -> str:
    """The portal's explanation of a refused report, when it gave one."""
    try:
        body = json.loads(error.read().decode("utf-8"))
        return str(body["error"]["message"])
    except Exception:
        return ""


def report_job_status(status: str, message: Optional[str] = None) -> bool:
    """Report the job's result to the portal.

    Args:
        status: "success" or "error"
        message: optional message (error details, a summary, ...)

    Returns:
        True when the portal stored the report. Never raises.
    """
    try:
        url, secret, job_key, title = (
            os.environ.get(name) for name in ENVIRONMENT_VARIABLES
        )
        if not all([url, secret, job_key, title]):
            _log("環境変数が未設定のためスキップ")
            return False

        payload = {
            "job_key": job_key,
            "title": title,
            "status": status,
            "finished_at": datetime.now(timezone.utc).isoformat(),
            "message": message,
        }
        request = urllib.request.Request(
            url,
            data=json.dumps(payload).encode("utf-8"),
            headers={"Content-Type": "application/json", SECRET_HEADER: secret},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            if response.status == 200:
                _log(f"報告成功: {status}")
                return True
            _log(f"報告失敗: HTTP {response.status}")
            return False
    except urllib.error.HTTPError as error:
        detail = _error_detail(error)
        _log(f"報告失敗: HTTP {error.code}" + (f" {detail}" if detail else ""))
        return False
    except Exception as error:  # the job must go on whatever happened here
        _log(f"報告エラー: {error}")
        return False


def main(argv: list) -> int:
    if len(argv) < 2 or argv[1] not in ("success", "error"):
        print(f"usage: {argv[0]} success|error [message]", file=sys.stderr)
        return 2
    report_job_status(argv[1], argv[2] if len(argv) > 2 else None)
    # Best effort: a failed report does not fail the caller.
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
