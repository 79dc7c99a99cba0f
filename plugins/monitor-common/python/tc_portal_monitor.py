"""Report a job's result to the TC Portal job monitor.

Standard library only (Python 3.7+). Configure with environment variables:

    TC_PORTAL_MONITOR_URL     the webhook, e.g. https://portal.example.com/api/monitor/job-report
    TC_PORTAL_WEBHOOK_SECRET  the shared secret (monitor.webhookSecret on the portal)
    TC_PORTAL_JOB_KEY         the job's unique key, e.g. daily-price-sync
    TC_PORTAL_JOB_TITLE       the name shown in the portal, e.g. 価格同期処理

Optional:

    TC_PORTAL_ENTITY_REF      the catalog entity the job belongs to, e.g. component:default/price-service
    TC_PORTAL_RETRIES         how often a failed report is retried (default 2)

When a required variable is missing the report is skipped (handy on a
developer's machine). Reporting is best effort: a failed report is printed,
never raised, so it cannot break the job that sends it. Every report carries
a run id, so a retried report is stored once.

The original snippet's way still works:

    from tc_portal_monitor import report_job_status

    try:
        run_the_job()
        report_job_status("success", "処理完了")
    except Exception as e:
        report_job_status("error", str(e))
        raise

or let the reporter time the run and send the traceback:

    from tc_portal_monitor import monitored_run

    with monitored_run():
        run_the_job()

or, from a shell or a scheduler, wrap any command:

    python3 tc_portal_monitor.py run -- python3 sync_prices.py
    python3 tc_portal_monitor.py success "処理完了"
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, List, Optional

SECRET_HEADER = "X-TC-Portal-Webhook-Secret"
TIMEOUT_SECONDS = 10
REQUIRED_VARIABLES = (
    "TC_PORTAL_MONITOR_URL",
    "TC_PORTAL_WEBHOOK_SECRET",
    "TC_PORTAL_JOB_KEY",
    "TC_PORTAL_JOB_TITLE",
)
# The portal keeps the head and the tail of longer messages; sending more
# than this is wasted.
MAX_MESSAGE_CHARACTERS = 16_000

# The run id of the last "start" this process reported, which its finish
# reuses when none is given, so that the portal pairs the two.
_started_run_id: Optional[str] = None


def _log(text: str) -> None:
    print(f"[TC Portal] {text}", flush=True)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _error_detail(error: urllib.error.HTTPError) -> str:
    """The portal's explanation of a refused report, when it gave one."""
    try:
        body = json.loads(error.read().decode("utf-8"))
        return str(body["error"]["message"])
    except Exception:
        return ""


def _retries() -> int:
    try:
        return max(0, int(os.environ.get("TC_PORTAL_RETRIES", "2")))
    except ValueError:
        return 2


def _send(url: str, secret: str, payload: Dict[str, Any]) -> Optional[int]:
    """POSTs the payload; returns the HTTP status, or None when unreachable.

    Retries what may pass (no connection, timeouts, 429 and 5xx) with a
    growing pause; a refused report (other 4xx) is not retried.
    """
    data = json.dumps(payload).encode("utf-8")
    headers = {"Content-Type": "application/json", SECRET_HEADER: secret}
    attempts = 1 + _retries()
    for attempt in range(1, attempts + 1):
        problem = ""
        try:
            request = urllib.request.Request(
                url, data=data, headers=headers, method="POST"
            )
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return response.status
        except urllib.error.HTTPError as error:
            detail = _error_detail(error)
            problem = f"HTTP {error.code}" + (f" {detail}" if detail else "")
            if error.code != 429 and error.code < 500:
                _log(f"報告失敗: {problem}")
                return error.code
        except (urllib.error.URLError, socket.timeout, ConnectionError) as error:
            problem = str(getattr(error, "reason", error))
        if attempt < attempts:
            _log(f"再試行 {attempt}/{attempts - 1}: {problem}")
            time.sleep(min(2 ** (attempt - 1), 8))
        else:
            _log(f"報告エラー: {problem}")
    return None


def report_job_status(
    status: str,
    message: Optional[str] = None,
    *,
    run_id: Optional[str] = None,
    started_at: Optional[str] = None,
    duration_ms: Optional[int] = None,
    exit_code: Optional[int] = None,
    schedule: Optional[Dict[str, Any]] = None,
) -> bool:
    """Report the job's result to the portal.

    Args:
        status: "success" or "error" (or "start" when a run begins)
        message: optional message (error details, a summary, ...)
        run_id: the run's id; a start and its finish share one. When not
            given, a finish reuses the id of this process's last start, and
            otherwise one is made up, so that retries are stored once.
        started_at, duration_ms, exit_code: optional facts of the run
        schedule: the job's expected rhythm, e.g. {"cron": "0 2 * * *",
            "timezone": "Asia/Tokyo", "grace": "PT30M"} or {"every": "PT1H"}

    Returns:
        True when the portal stored the report. Never raises.
    """
    global _started_run_id
    try:
        if run_id is None:
            run_id = _started_run_id if status != "start" else None
            run_id = run_id or str(uuid.uuid4())
        _started_run_id = run_id if status == "start" else None

        url, secret, job_key, title = (
            os.environ.get(name) for name in REQUIRED_VARIABLES
        )
        if not all([url, secret, job_key, title]):
            _log("環境変数が未設定のためスキップ")
            return False

        payload: Dict[str, Any] = {
            "job_key": job_key,
            "title": title,
            "status": status,
            "message": message,
            "run_id": run_id,
            "host": socket.gethostname()[:255] or None,
        }
        if status != "start":
            payload["finished_at"] = _now()
        optional = {
            "started_at": started_at,
            "duration_ms": duration_ms,
            "exit_code": exit_code,
            "schedule": schedule,
            "entity_ref": os.environ.get("TC_PORTAL_ENTITY_REF") or None,
        }
        payload.update({k: v for k, v in optional.items() if v is not None})
        if payload["host"] is None:
            del payload["host"]

        code = _send(str(url), str(secret), payload)
        if code == 200:
            _log(f"報告成功: {status}")
            return True
        if code is not None and 200 < code < 300:
            _log(f"報告失敗: HTTP {code}")
        return False
    except Exception as error:  # the job must go on whatever happened here
        _log(f"報告エラー: {error}")
        return False


@contextmanager
def monitored_run(schedule: Optional[Dict[str, Any]] = None) -> Iterator[str]:
    """Reports the start of a run, then its end: success, or error with the
    traceback (the exception is raised on, unchanged). Yields the run id."""
    run_id = str(uuid.uuid4())
    started_at = _now()
    started = time.monotonic()
    report_job_status("start", run_id=run_id, started_at=started_at, schedule=schedule)
    try:
        yield run_id
    except BaseException as error:
        exit_code = error.code if isinstance(error, SystemExit) and isinstance(error.code, int) else 1
        if isinstance(error, SystemExit) and exit_code == 0:
            status, message = "success", None
        else:
            status = "error"
            message = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        report_job_status(
            status,
            message[-MAX_MESSAGE_CHARACTERS:] if message else None,
            run_id=run_id,
            started_at=started_at,
            duration_ms=int((time.monotonic() - started) * 1000),
            exit_code=exit_code,
        )
        raise
    report_job_status(
        "success",
        run_id=run_id,
        started_at=started_at,
        duration_ms=int((time.monotonic() - started) * 1000),
        exit_code=0,
    )


def run_command(command: List[str]) -> int:
    """Runs a command as a monitored run: its exit code decides success, and
    the tail of its error output is the message. Returns its exit code."""
    run_id = str(uuid.uuid4())
    started_at = _now()
    started = time.monotonic()
    report_job_status("start", run_id=run_id, started_at=started_at)
    tail = ""
    try:
        process = subprocess.Popen(command, stderr=subprocess.PIPE)
        assert process.stderr is not None
        for raw in process.stderr:
            sys.stderr.buffer.write(raw)
            sys.stderr.buffer.flush()
            tail = (tail + raw.decode("utf-8", "replace"))[-MAX_MESSAGE_CHARACTERS:]
        exit_code = process.wait()
    except OSError as error:
        exit_code, tail = 127, f"could not run {command[0]}: {error}"
        print(tail, file=sys.stderr)
    report_job_status(
        "success" if exit_code == 0 else "error",
        (tail.strip() or None) if exit_code != 0 else None,
        run_id=run_id,
        started_at=started_at,
        duration_ms=int((time.monotonic() - started) * 1000),
        exit_code=exit_code,
    )
    return exit_code


USAGE = """usage:
  tc_portal_monitor.py success|error [message]   report a result
  tc_portal_monitor.py run -- COMMAND [ARGS...]   run a command and report it"""


def main(argv: List[str]) -> int:
    if len(argv) >= 2 and argv[1] in ("success", "error"):
        report_job_status(argv[1], argv[2] if len(argv) > 2 else None)
        # Best effort: a failed report does not fail the caller.
        return 0
    if len(argv) >= 3 and argv[1] == "run":
        command = argv[3:] if argv[2] == "--" else argv[2:]
        if command:
            # The command's own exit code: the scheduler sees the job as it is.
            return run_command(command)
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
