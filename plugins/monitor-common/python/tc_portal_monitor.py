"""Report a job's runs to the TC Portal job monitor.

Standard library only, Python 3.8+. Install it (`pip install` this folder or
its wheel: a `tc-portal-monitor` command comes with it), or copy this one
file next to a script, as with the original snippet.

Where the portal is comes from the environment, set once per machine:

    TC_PORTAL_MONITOR_URL     the webhook, e.g. https://portal.example.com/api/monitor/job-report
    TC_PORTAL_WEBHOOK_SECRET  the shared secret (monitor.webhookSecret on the portal)

Which job is reporting comes from the job's code or command line, or else
from the environment, as in the original snippet:

    TC_PORTAL_JOB_KEY         the job's unique key, e.g. daily-price-sync
    TC_PORTAL_JOB_TITLE       the name shown in the portal, e.g. 価格同期処理

Optional, each also an argument (arguments win over the environment):

    TC_PORTAL_ENTITY_REF            the catalog entity of the job, e.g. component:default/price-service
    TC_PORTAL_SCHEDULE              the job's rhythm: a duration (PT1H, 1h) or a cron expression (0 2 * * *)
    TC_PORTAL_SCHEDULE_TIMEZONE     the cron expression's IANA time zone, e.g. Asia/Tokyo
    TC_PORTAL_SCHEDULE_GRACE        how late a run may be before it counts as missed, e.g. 30m
    TC_PORTAL_SCHEDULE_MAX_RUNTIME  how long a run may take before it counts as timed out, e.g. 2h
    TC_PORTAL_SCHEDULE_MIN_RUNTIME  the shortest a successful run may take; a faster one counts as failed
    TC_PORTAL_SCHEDULE_FAILURE_THRESHOLD   failed runs in a row before the job counts as failing
    TC_PORTAL_SCHEDULE_RECOVERY_THRESHOLD  successful runs in a row before it passes again
    TC_PORTAL_SCHEDULE_DEPENDS_ON   the keys of the jobs it depends on, comma-separated: while one
                                    fails, this job's failure is counted and told as that one's

How reports travel:

    TC_PORTAL_TIMEOUT               seconds per try (default 10, as in the original snippet)
    TC_PORTAL_TOTAL_TIMEOUT         seconds for all tries of one report (default 60)
    TC_PORTAL_RETRIES               retries after the first try (default 4)
    TC_PORTAL_CA_FILE               a PEM file of CA certificates to trust for an https URL
    TC_PORTAL_SPOOL_DIR             where unsent reports wait for the next run ("off" turns it off)
    TC_PORTAL_SPOOL_MAX_REPORTS     how many unsent reports a job keeps (default 100)

Proxies come from the usual variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).

Ways to use it:

    from tc_portal_monitor import report_job_status   # the original snippet's function
    report_job_status("success", "処理完了", job_key="daily-price-sync", title="価格同期処理")

    from tc_portal_monitor import monitor              # start, finish, duration, traceback
    with monitor("daily-price-sync", "価格同期処理"):
        run_the_job()

    @monitor("daily-price-sync", "価格同期処理")        # on def or async def
    async def main(): ...

    tc-portal-monitor run --job-key daily-price-sync --title 価格同期処理 --cron "0 2 * * *" -- python sync_prices.py

Reporting never breaks the job: nothing here raises into the caller, the
job's own exception and exit code pass through unchanged, and a report the
portal cannot take now waits in a local spool until the next run sends it.
Every report carries a run id, so a report sent twice is stored once.
"""

from __future__ import annotations

import email.utils
import functools
import hashlib
import http.client
import json
import os
import random
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, TypeVar

__version__ = "1.0.0"

__all__ = [
    "report_job_status",
    "monitor",
    "Monitor",
    "run_command",
    "flush_spool",
    "build_report",
    "Settings",
    "main",
]

SECRET_HEADER = "X-TC-Portal-Webhook-Secret"
REQUIRED_VARIABLES = (
    "TC_PORTAL_MONITOR_URL",
    "TC_PORTAL_WEBHOOK_SECRET",
    "TC_PORTAL_JOB_KEY",
    "TC_PORTAL_JOB_TITLE",
)
TIMEOUT_SECONDS = 10.0
TOTAL_TIMEOUT_SECONDS = 60.0
RETRIES = 4
# Exponential backoff with full jitter: a pause of up to 1, 2, 4 ... seconds,
# never more than the cap.
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 15.0
# The portal keeps the head and the tail of a longer message (16,384
# characters by default); the reporter sends only the tail, where a
# traceback ends.
MAX_MESSAGE_CHARACTERS = 16000
# The last line of a successful command's output becomes its message.
MAX_SUMMARY_CHARACTERS = 500
MAX_HOST_CHARACTERS = 255
SPOOL_MAX_REPORTS = 100
# A report claimed for sending by a process that then died is sent again
# after this long.
STALE_CLAIM_SECONDS = 600.0

PREFIX = "[TC Portal]"
USER_AGENT = f"tc-portal-monitor/{__version__} Python/{sys.version.split()[0]}"

# The run id of the last "start" this process reported for each job, which
# the job's finish reuses when none is given, so that the portal pairs the
# two.
_started_run_ids: Dict[str, str] = {}
_started_lock = threading.Lock()
_said_unconfigured = False


def _log(text: str, *, loud: bool = False) -> None:
    """Prints a line of the reporter; a configuration problem goes to stderr
    too, where cron mail and Task Scheduler logs surface it."""
    for stream in (sys.stdout, sys.stderr) if loud else (sys.stdout,):
        try:
            print(f"{PREFIX} {text}", file=stream, flush=True)
        except Exception:  # a console that cannot show the text
            try:
                line = f"{PREFIX} {text}".encode("ascii", "backslashreplace")
                print(line.decode("ascii"), file=stream, flush=True)
            except Exception:
                pass


_said: set = set()


def _log_once(text: str) -> None:
    """Says a setup problem loudly, once per process."""
    if text not in _said:
        _said.add(text)
        _log(text, loud=True)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _tail(text: str, limit: int) -> str:
    """The end of a text, with a marker saying how much was left out."""
    if len(text) <= limit:
        return text
    omitted = len(text) - limit
    marker = f"[{omitted} characters omitted]\n"
    return marker + text[-(limit - len(marker)) :]


# ---------------------------------------------------------------------------
# Settings


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    try:
        value = float(env.get(name, "") or default)
        return value if value >= 0 else default
    except ValueError:
        return default


_SHORT_DURATION = re.compile(
    r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$", re.IGNORECASE
)

DURATION_FIELDS = ("every", "grace", "max_runtime", "min_runtime")
THRESHOLD_FIELDS = ("failure_threshold", "recovery_threshold")
KEY_LIST_FIELDS = ("depends_on",)


def _duration(value: Any) -> Any:
    """A duration as the portal reads it: `30m`, `2h`, `1h30m`, `1d` or `2w`
    become ISO 8601 (PT30M, PT2H, PT1H30M, P1D, P14D); anything else (ISO
    8601 already, or {"hours": 1}) goes as it is, for the portal to judge."""
    if not isinstance(value, str):
        return value
    match = _SHORT_DURATION.match(value.strip())
    if not match or not any(match.groups()):
        return value.strip()
    weeks, days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    date = f"{weeks * 7 + days}D" if weeks or days else ""
    time_part = "".join(
        f"{amount}{unit}" for amount, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if amount
    )
    return "P" + date + (f"T{time_part}" if time_part else "")


def _keys(value: Any) -> Any:
    """Job keys: a comma-separated text becomes a list; a list goes as it is."""
    if isinstance(value, str):
        return [key.strip() for key in value.split(",") if key.strip()]
    return value


def _whole_number(value: Any) -> Any:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def normalize_schedule(schedule: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """A schedule as the report carries it: short durations written as ISO
    8601, thresholds as numbers, empty fields left out. None when it names
    no rhythm (every or cron), which the portal needs; other fields alone
    are left out then, with a word about it."""
    if not schedule:
        return None
    normal: Dict[str, Any] = {}
    for field, value in schedule.items():
        if value is None or value == "":
            continue
        if field in DURATION_FIELDS:
            value = _duration(value)
        elif field in THRESHOLD_FIELDS:
            value = _whole_number(value)
        elif field in KEY_LIST_FIELDS:
            value = _keys(value)
            if not value:
                continue
        normal[field] = value
    if "cron" not in normal and "every" not in normal:
        if normal:
            _log_once(
                "スケジュールの "
                + ", ".join(sorted(normal))
                + " は周期 (cron か every) と一緒にしか送れないため送りません"
            )
        return None
    return normal


def _schedule_from(env: Mapping[str, str]) -> Optional[Dict[str, Any]]:
    rhythm = (env.get("TC_PORTAL_SCHEDULE") or "").strip()
    if not rhythm:
        return None
    schedule: Dict[str, Any] = {"cron": rhythm} if len(rhythm.split()) > 1 else {"every": rhythm}
    for variable, field in (
        ("TC_PORTAL_SCHEDULE_TIMEZONE", "timezone"),
        ("TC_PORTAL_SCHEDULE_GRACE", "grace"),
        ("TC_PORTAL_SCHEDULE_MAX_RUNTIME", "max_runtime"),
        ("TC_PORTAL_SCHEDULE_MIN_RUNTIME", "min_runtime"),
        ("TC_PORTAL_SCHEDULE_FAILURE_THRESHOLD", "failure_threshold"),
        ("TC_PORTAL_SCHEDULE_RECOVERY_THRESHOLD", "recovery_threshold"),
        ("TC_PORTAL_SCHEDULE_DEPENDS_ON", "depends_on"),
    ):
        value = (env.get(variable) or "").strip()
        if value:
            schedule[field] = value
    return normalize_schedule(schedule)


def _default_spool_dir(env: Mapping[str, str]) -> str:
    if os.name == "nt" and env.get("LOCALAPPDATA"):
        base = env["LOCALAPPDATA"]
    else:
        base = env.get("XDG_STATE_HOME") or os.path.join(
            os.path.expanduser("~"), ".local", "state"
        )
    return os.path.join(base, "tc-portal-monitor", "spool")


class Settings:
    """The reporter's configuration: the job's identity from arguments, or
    else from environment variables, and the rest from the environment."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        job_key: Optional[str] = None,
        title: Optional[str] = None,
        entity_ref: Optional[str] = None,
    ):
        self.url, self.secret, env_job_key, env_title = (
            env.get(name) or "" for name in REQUIRED_VARIABLES
        )
        self.job_key = job_key or env_job_key
        self.title = title or env_title
        self.configured = all([self.url, self.secret, self.job_key, self.title])
        self.entity_ref = entity_ref or env.get("TC_PORTAL_ENTITY_REF") or None
        self.schedule = _schedule_from(env)
        self.timeout = _number(env, "TC_PORTAL_TIMEOUT", TIMEOUT_SECONDS) or TIMEOUT_SECONDS
        self.total_timeout = _number(env, "TC_PORTAL_TOTAL_TIMEOUT", TOTAL_TIMEOUT_SECONDS)
        self.retries = int(_number(env, "TC_PORTAL_RETRIES", RETRIES))
        self.ca_file = env.get("TC_PORTAL_CA_FILE") or None
        spool_dir = (env.get("TC_PORTAL_SPOOL_DIR") or "").strip()
        self.spool_dir: Optional[str] = (
            None if spool_dir.lower() == "off" else spool_dir or _default_spool_dir(env)
        )
        self.spool_max_reports = max(
            1, int(_number(env, "TC_PORTAL_SPOOL_MAX_REPORTS", SPOOL_MAX_REPORTS))
        )

    @classmethod
    def from_environment(cls, **arguments: Optional[str]) -> "Settings":
        return cls(os.environ, **arguments)


# ---------------------------------------------------------------------------
# The report


def build_report(
    settings: Settings,
    status: str,
    message: Optional[str] = None,
    *,
    run_id: str,
    now: datetime,
    host: Optional[str],
    started_at: Optional[str] = None,
    duration_ms: Optional[int] = None,
    exit_code: Optional[int] = None,
    schedule: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """The JSON body of a report, as the portal's contract describes it."""
    report: Dict[str, Any] = {
        "job_key": settings.job_key,
        "title": settings.title,
        "status": status,
        "message": message,
        "run_id": run_id,
    }
    if status != "start":
        report["finished_at"] = now.isoformat()
    optional = {
        "started_at": started_at,
        "duration_ms": duration_ms,
        "exit_code": exit_code,
        "host": host[:MAX_HOST_CHARACTERS] if host else None,
        "entity_ref": settings.entity_ref,
        "schedule": normalize_schedule(schedule) if schedule is not None else settings.schedule,
    }
    report.update({key: value for key, value in optional.items() if value is not None})
    return report


# ---------------------------------------------------------------------------
# Sending

SENT = "sent"  # the portal stored it
REFUSED = "refused"  # the report itself is wrong: sending it again cannot help
MISCONFIGURED = "misconfigured"  # secret or TLS: kept until the setup is fixed
UNREACHABLE = "unreachable"  # the portal could not take it now: kept


def _error_detail(error: urllib.error.HTTPError) -> str:
    """The portal's explanation of a refused report, when it gave one."""
    try:
        body = json.loads(error.read().decode("utf-8"))
        return str(body["error"]["message"])
    except Exception:
        return ""


def _retry_after(headers: Any) -> Optional[float]:
    """Seconds to wait, from a Retry-After header (seconds or a date)."""
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - _now()).total_seconds())
    except Exception:
        return None


def _opener(settings: Settings) -> urllib.request.OpenerDirector:
    # build_opener keeps the default handlers, the environment's proxies
    # among them.
    context = ssl.create_default_context(cafile=settings.ca_file)
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))


def _post(
    settings: Settings,
    report: Dict[str, Any],
    *,
    deadline: float,
    retries: int,
) -> Tuple[str, str]:
    """POSTs a report, retrying what may pass: no connection, timeouts, 408,
    429 and 5xx (after Retry-After when the portal sends one, else after a
    jittered, growing pause), as long as tries and time are left.

    Returns the outcome and a description of it.
    """
    try:
        opener = _opener(settings)
    except (OSError, ssl.SSLError) as error:
        return MISCONFIGURED, f"TC_PORTAL_CA_FILE を読めません: {error}"
    data = json.dumps(report, ensure_ascii=False).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SECRET_HEADER: settings.secret,
    }
    attempt = 0
    while True:
        attempt += 1
        wait: Optional[float] = None
        remaining = deadline - time.monotonic()
        try:
            request = urllib.request.Request(
                settings.url, data=data, headers=headers, method="POST"
            )
            timeout = max(0.5, min(settings.timeout, remaining))
            with opener.open(request, timeout=timeout) as response:
                response.read()
                if response.status == 200:
                    return SENT, "HTTP 200"
                # The original snippet's words for an unexpected answer.
                return REFUSED, f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            detail = _error_detail(error)
            problem = f"HTTP {error.code}" + (f" {detail}" if detail else "")
            if error.code in (401, 403):
                return MISCONFIGURED, problem
            if error.code not in (408, 429) and error.code < 500:
                return REFUSED, problem
            wait = _retry_after(error.headers)
        except urllib.error.URLError as error:
            if isinstance(error.reason, ssl.SSLCertVerificationError):
                return MISCONFIGURED, f"TLS: {error.reason}"
            problem = str(error.reason)
        except (OSError, http.client.HTTPException) as error:
            problem = str(error) or type(error).__name__
        if attempt > retries:
            return UNREACHABLE, problem
        if wait is None:
            cap = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
            wait = random.uniform(0, cap)
        if time.monotonic() + wait >= deadline:
            return UNREACHABLE, f"{problem}（待ち時間の上限に達しました）"
        _log(f"再試行 {attempt}/{retries}: {problem}（{wait:.1f} 秒後）")
        time.sleep(wait)


def _deliver(
    settings: Settings,
    report: Dict[str, Any],
    *,
    deadline: float,
    retries: int,
) -> Tuple[str, str]:
    """POSTs a report; when the portal refuses it for its schedule (a typo
    in a cron expression, say), sends it again without the schedule, so that
    the run is still recorded, and says why loudly."""
    outcome, problem = _post(settings, report, deadline=deadline, retries=retries)
    if outcome == REFUSED and "schedule" in report and "schedule" in problem:
        _log(f"スケジュールが受け付けられませんでした: {problem}（スケジュールなしで報告します）", loud=True)
        plain = {key: value for key, value in report.items() if key != "schedule"}
        return _post(settings, plain, deadline=deadline, retries=retries)
    return outcome, problem


# ---------------------------------------------------------------------------
# The spool: reports that could not be sent, waiting for the next run


class Spool:
    """A folder of unsent reports of one job, sent again oldest first.

    Each report is one file, written whole and then renamed into place. A
    process sending one first claims it by renaming it, which only one
    process can do, so two runs at once never send the same report twice
    (and if they did, the run id would make it harmless).
    """

    def __init__(self, directory: str, job_key: str, max_reports: int):
        readable = re.sub(r"[^A-Za-z0-9._-]", "_", job_key)[:60]
        digest = hashlib.sha256(job_key.encode("utf-8")).hexdigest()[:12]
        self.directory = os.path.join(directory, f"{readable}-{digest}")
        self.max_reports = max_reports

    def _names(self) -> List[str]:
        try:
            return sorted(
                name
                for name in os.listdir(self.directory)
                if name.endswith(".json") and not name.startswith(".")
            )
        except FileNotFoundError:
            return []

    def add(self, report: Dict[str, Any]) -> str:
        os.makedirs(self.directory, exist_ok=True)
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex}.json"
        temporary = os.path.join(self.directory, f".writing-{name}")
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump(report, file, ensure_ascii=False)
        path = os.path.join(self.directory, name)
        os.replace(temporary, path)
        names = self._names()
        excess = names[: max(0, len(names) - self.max_reports)]
        for old in excess:
            try:
                os.remove(os.path.join(self.directory, old))
            except OSError:
                pass
        if excess:
            _log(
                f"未送信の報告が上限の {self.max_reports} 件を超えたため、"
                f"古いものから {len(excess)} 件を破棄しました"
            )
        return path

    def _release_stale_claims(self) -> None:
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return
        for name in names:
            if not name.startswith(".claimed-"):
                continue
            path = os.path.join(self.directory, name)
            try:
                if time.time() - os.path.getmtime(path) > STALE_CLAIM_SECONDS:
                    original = name.split("-", 2)[2]
                    os.replace(path, os.path.join(self.directory, original))
            except (OSError, IndexError):
                pass

    def pending(self) -> int:
        return len(self._names())

    def send_all(self, send: Callable[[Dict[str, Any]], Tuple[str, str]]) -> Tuple[int, bool]:
        """Sends the waiting reports, oldest first, until one cannot go.

        Returns how many were sent, and whether none is left waiting.
        """
        self._release_stale_claims()
        sent = 0
        for name in self._names():
            path = os.path.join(self.directory, name)
            claimed = os.path.join(self.directory, f".claimed-{os.getpid()}-{name}")
            try:
                os.rename(path, claimed)
                os.utime(claimed)
            except OSError:
                continue  # another run took it
            try:
                with open(claimed, encoding="utf-8") as file:
                    report = json.load(file)
            except (OSError, ValueError) as error:
                _log(f"読めない未送信の報告を破棄しました: {name}: {error}")
                os.remove(claimed)
                continue
            outcome, problem = send(report)
            if outcome in (SENT, REFUSED):
                if outcome == REFUSED:
                    _log(f"未送信の報告は受け付けられず破棄しました: {problem}", loud=True)
                else:
                    sent += 1
                os.remove(claimed)
                continue
            os.replace(claimed, path)
            return sent, False
        return sent, self.pending() == 0


def _spool_for(settings: Settings) -> Optional[Spool]:
    if not settings.spool_dir:
        return None
    return Spool(settings.spool_dir, settings.job_key, settings.spool_max_reports)


def _send_spooled(settings: Settings, spool: Spool, deadline: float) -> bool:
    """Sends the job's waiting reports first, so that the portal hears of
    its runs in order. Returns whether the portal took them all."""
    sent, emptied = spool.send_all(
        lambda report: _deliver(settings, report, deadline=deadline, retries=0)
    )
    if sent:
        _log(f"未送信だった報告を {sent} 件送信しました")
    return emptied


def flush_spool(job_key: Optional[str] = None) -> int:
    """Sends the reports of a job (the environment's when not given) that
    wait in the spool now. Returns how many are still waiting. Never
    raises."""
    try:
        settings = Settings.from_environment(job_key=job_key)
        spool = _spool_for(settings)
        if not (settings.url and settings.secret and settings.job_key) or spool is None:
            return 0
        _send_spooled(settings, spool, time.monotonic() + settings.total_timeout)
        return spool.pending()
    except Exception as error:
        _log(f"報告エラー: {error}")
        return 0


# ---------------------------------------------------------------------------
# Reporting


def report_job_status(
    status: str,
    message: Optional[str] = None,
    *,
    job_key: Optional[str] = None,
    title: Optional[str] = None,
    entity_ref: Optional[str] = None,
    run_id: Optional[str] = None,
    started_at: Optional[str] = None,
    duration_ms: Optional[int] = None,
    exit_code: Optional[int] = None,
    schedule: Optional[Dict[str, Any]] = None,
) -> bool:
    """Reports the job's result to the portal, as the original snippet does.

    Args:
        status: "success" or "error" (or "start" when a run begins)
        message: optional message (error details, a summary, ...)
        job_key, title, entity_ref: which job this is; TC_PORTAL_JOB_KEY,
            TC_PORTAL_JOB_TITLE and TC_PORTAL_ENTITY_REF when not given
        run_id: the run's id; a start and its finish share one. When not
            given, a finish reuses the id of this process's last start of
            the same job, and otherwise a new one is made.
        started_at, duration_ms, exit_code: optional facts of the run
        schedule: what the job expects of itself, e.g. {"cron": "0 2 * * *",
            "timezone": "Asia/Tokyo", "grace": "30m", "max_runtime": "2h",
            "failure_threshold": 3, "recovery_threshold": 1} or
            {"every": "1h"}; TC_PORTAL_SCHEDULE and its companions when not
            given

    Returns:
        True when the portal stored the report. Never raises: a report that
        cannot be sent now is kept and sent by the next run.
    """
    global _said_unconfigured
    try:
        settings = Settings.from_environment(
            job_key=job_key, title=title, entity_ref=entity_ref
        )
        with _started_lock:
            if run_id is None and status != "start":
                run_id = _started_run_ids.get(settings.job_key)
            run_id = run_id or str(uuid.uuid4())
            if status == "start":
                _started_run_ids[settings.job_key] = run_id
            else:
                _started_run_ids.pop(settings.job_key, None)

        if not settings.configured:
            if not _said_unconfigured:
                _log("環境変数が未設定のためスキップ")
                _said_unconfigured = True
            return False

        report = build_report(
            settings,
            status,
            message,
            run_id=run_id,
            now=_now(),
            host=socket.gethostname() or None,
            started_at=started_at,
            duration_ms=duration_ms,
            exit_code=exit_code,
            schedule=schedule,
        )
        deadline = time.monotonic() + settings.total_timeout
        spool = _spool_for(settings)
        reachable = _send_spooled(settings, spool, deadline) if spool else True
        # A start is not worth holding the job up for: one try, then the
        # spool. A finish gets every retry its time allows.
        retries = 0 if status == "start" or not reachable else settings.retries
        outcome, problem = _deliver(settings, report, deadline=deadline, retries=retries)

        if outcome == SENT:
            _log(f"報告成功: {status}")
            return True
        if outcome == REFUSED:
            _log(f"報告失敗: {problem}（報告の内容を確認してください）", loud=True)
            return False
        if outcome == MISCONFIGURED:
            _log(f"報告失敗: {problem}（設定を確認してください）", loud=True)
        else:
            _log(f"報告エラー: {problem}")
        if spool is not None:
            try:
                path = spool.add(report)
                _log(f"報告を保存しました。次の実行で送信します: {path}")
            except OSError as error:
                _log(f"報告を保存できませんでした: {error}", loud=True)
        return False
    except Exception as error:  # the job must go on whatever happened here
        _log(f"報告エラー: {error}")
        return False


F = TypeVar("F", bound=Callable[..., Any])


class Monitor:
    """Reports a run around a block or a function: "start" with a fresh run
    id, then "success", or "error" with the traceback's tail, both with the
    duration and an exit code. The job's own exception passes through
    unchanged; set `message` for a success message.

        with monitor("daily-price-sync", "価格同期処理") as run:
            count = sync_prices()
            run.message = f"{count} 件を同期しました"

        @monitor("daily-price-sync", "価格同期処理", schedule={"cron": "0 2 * * *"})
        def main(): ...

    On `async def` functions, and as `async with`, the reports are sent from
    a worker thread, so the event loop goes on while they travel.
    """

    def __init__(
        self,
        job_key: Any = None,
        title: Optional[str] = None,
        *,
        entity_ref: Optional[str] = None,
        schedule: Optional[Dict[str, Any]] = None,
    ):
        if isinstance(job_key, Mapping):  # Monitor(schedule), the older form
            job_key, schedule = None, dict(job_key)
        self.job = {"job_key": job_key, "title": title, "entity_ref": entity_ref}
        self.schedule = schedule
        self.run_id: Optional[str] = None
        self.message: Optional[str] = None
        self._started = 0.0
        self._started_at: Optional[str] = None

    def _copy(self) -> "Monitor":
        """A monitor of the same job for one call of a decorated function,
        so that calls at once (threads, tasks) are runs of their own."""
        return Monitor(**self.job, schedule=self.schedule)

    def _start(self) -> Callable[[], bool]:
        self.run_id = str(uuid.uuid4())
        self._started_at = _now().isoformat()
        self._started = time.monotonic()
        return functools.partial(
            report_job_status,
            "start",
            **self.job,
            run_id=self.run_id,
            started_at=self._started_at,
            schedule=self.schedule,
        )

    def _finish(self, kind: Any, error: Any, trace: Any) -> Callable[[], bool]:
        status, message, exit_code = "success", self.message, 0
        if kind is not None:
            code = error.code if isinstance(error, SystemExit) else None
            if isinstance(error, SystemExit) and code in (None, 0):
                pass  # sys.exit(0) is a success
            else:
                status = "error"
                message = _tail(
                    "".join(traceback.format_exception(kind, error, trace)),
                    MAX_MESSAGE_CHARACTERS,
                )
                if isinstance(code, int):
                    exit_code = code
                elif isinstance(error, KeyboardInterrupt):
                    exit_code = 130
                else:
                    exit_code = 1
        return functools.partial(
            report_job_status,
            status,
            message,
            **self.job,
            run_id=self.run_id,
            started_at=self._started_at,
            duration_ms=int((time.monotonic() - self._started) * 1000),
            exit_code=exit_code,
            schedule=self.schedule,
        )

    def __enter__(self) -> "Monitor":
        self._start()()
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> bool:
        self._finish(kind, error, trace)()
        return False  # never swallow the job's exception

    async def __aenter__(self) -> "Monitor":
        await _in_thread(self._start())
        return self

    async def __aexit__(self, kind: Any, error: Any, trace: Any) -> bool:
        await _in_thread(self._finish(kind, error, trace))
        return False

    def __call__(self, function: F) -> F:
        import inspect  # here, not at the top: a job that never decorates pays nothing

        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def monitored_async(*args: Any, **kwargs: Any) -> Any:
                async with self._copy():
                    return await function(*args, **kwargs)

            return monitored_async  # type: ignore[return-value]

        @functools.wraps(function)
        def monitored(*args: Any, **kwargs: Any) -> Any:
            with self._copy():
                return function(*args, **kwargs)

        return monitored  # type: ignore[return-value]


async def _in_thread(send: Callable[[], bool]) -> bool:
    """Sends a report from the default executor's thread: the event loop
    runs other tasks meanwhile. (asyncio.to_thread is Python 3.9+.)"""
    import asyncio  # here: only async jobs pay for importing it

    return await asyncio.get_running_loop().run_in_executor(None, send)


def monitor(
    job_key: Any = None,
    title: Optional[str] = None,
    *,
    entity_ref: Optional[str] = None,
    schedule: Optional[Dict[str, Any]] = None,
) -> Monitor:
    """`with monitor(...)` or `async with monitor(...)` around a block, or
    `@monitor(...)` on a function or coroutine function. The job key and
    title are TC_PORTAL_JOB_KEY and TC_PORTAL_JOB_TITLE when not given;
    `monitor(schedule)`, the older form, still works."""
    return Monitor(job_key, title, entity_ref=entity_ref, schedule=schedule)


# ---------------------------------------------------------------------------
# Wrapping a command


class _OutputTail:
    """The last bytes of a command's output, from both of its streams."""

    def __init__(self, limit: int):
        self.limit = limit
        self.data = bytearray()
        self.lock = threading.Lock()

    def pump(self, source: Any, sink: Any) -> None:
        for chunk in iter(lambda: source.read1(65536), b""):
            try:
                sink.write(chunk)
                sink.flush()
            except Exception:
                pass
            with self.lock:
                self.data += chunk
                if len(self.data) > 2 * self.limit:
                    del self.data[: len(self.data) - self.limit]

    def text(self) -> str:
        with self.lock:
            return bytes(self.data).decode("utf-8", "replace")


_FORWARDED_SIGNALS = [
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)
]


def run_command(
    command: List[str],
    *,
    job_key: Optional[str] = None,
    title: Optional[str] = None,
    entity_ref: Optional[str] = None,
    schedule: Optional[Dict[str, Any]] = None,
) -> int:
    """Runs a command as a monitored run of a job (the environment's when
    not given): its exit code decides success, its output passes through,
    and the tail of it becomes the message (the last line, after a
    success). Signals the wrapper gets are passed on to the command. Returns
    the command's exit code (negative for a signal, as subprocess does)."""
    job: Dict[str, Any] = {
        "job_key": job_key,
        "title": title,
        "entity_ref": entity_ref,
        "schedule": schedule,
    }
    run_id = str(uuid.uuid4())
    started_at = _now().isoformat()
    started = time.monotonic()
    report_job_status("start", run_id=run_id, started_at=started_at, **job)
    tail = _OutputTail(MAX_MESSAGE_CHARACTERS * 4)
    previous: Dict[int, Any] = {}
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as error:
        returncode, output = 127, f"{command[0]} を実行できません: {error}"
        print(output, file=sys.stderr)
    else:
        def forward(number: int, _frame: Any) -> None:
            process.send_signal(number)

        if threading.current_thread() is threading.main_thread():
            for number in _FORWARDED_SIGNALS:
                previous[number] = signal.signal(number, forward)
        pumps = [
            threading.Thread(target=tail.pump, args=(process.stdout, sys.stdout.buffer)),
            threading.Thread(target=tail.pump, args=(process.stderr, sys.stderr.buffer)),
        ]
        for pump in pumps:
            pump.daemon = True
            pump.start()
        returncode = process.wait()
        for pump in pumps:
            pump.join()
        for number, handler in previous.items():
            signal.signal(number, handler)
        output = tail.text().strip()

    if returncode == 0:
        lines = output.splitlines()
        message = _tail(lines[-1], MAX_SUMMARY_CHARACTERS) if lines else None
    else:
        if returncode < 0:
            name = _signal_name(-returncode)
            output = f"{output}\n\nシグナル {name} ({-returncode}) で終了しました".strip()
        message = _tail(output, MAX_MESSAGE_CHARACTERS) or None
    report_job_status(
        "success" if returncode == 0 else "error",
        message,
        run_id=run_id,
        started_at=started_at,
        duration_ms=int((time.monotonic() - started) * 1000),
        exit_code=returncode if returncode >= 0 else 128 - returncode,
        **job,
    )
    return returncode


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _exit_like(returncode: int) -> int:
    """Ends the wrapper the way its command ended: with its exit code, or
    killed by the same signal."""
    if returncode < 0 and hasattr(os, "kill"):
        number = -returncode
        try:
            try:
                signal.signal(number, signal.SIG_DFL)
            except (OSError, ValueError):
                pass  # SIGKILL and SIGSTOP keep their default anyway
            os.kill(os.getpid(), number)
            time.sleep(1)
        except (OSError, ValueError):
            pass
        return 128 + number
    return returncode


class _UsageError(Exception):
    pass


def _parser() -> Any:
    """The command line's parser. (argparse is imported here, not at the
    top, so that a job importing the reporter does not pay for it.)"""
    import argparse

    class Parser(argparse.ArgumentParser):
        """Raises on a bad argument instead of exiting, so that `run` can
        still run the job's command."""

        def error(self, message: str) -> Any:  # type: ignore[override]
            raise _UsageError(f"{self.prog}: {message}")

    job = argparse.ArgumentParser(add_help=False)
    identity = job.add_argument_group("the job (each wins over its environment variable)")
    identity.add_argument("--job-key", help="the job's unique key (TC_PORTAL_JOB_KEY)")
    identity.add_argument("--title", help="the name shown in the portal (TC_PORTAL_JOB_TITLE)")
    identity.add_argument("--entity-ref", help="its catalog entity (TC_PORTAL_ENTITY_REF)")
    expected = job.add_argument_group(
        "what the job expects of itself (each wins over its TC_PORTAL_SCHEDULE* variable)"
    )
    rhythm = expected.add_mutually_exclusive_group()
    rhythm.add_argument("--cron", help='a five-field cron expression, e.g. "0 2 * * *"')
    rhythm.add_argument("--every", help="an interval, e.g. 1h or PT1H")
    expected.add_argument("--timezone", help="the cron expression's IANA time zone, e.g. Asia/Tokyo")
    expected.add_argument("--grace", help="how late a run may be, e.g. 30m")
    expected.add_argument("--max-runtime", help="how long a run may take, e.g. 2h")
    expected.add_argument("--min-runtime", help="the shortest a successful run may take, e.g. 5m")
    expected.add_argument("--failure-threshold", type=int, metavar="N", help="failed runs in a row before it fails")
    expected.add_argument("--recovery-threshold", type=int, metavar="N", help="successful runs in a row before it passes again")
    expected.add_argument(
        "--depends-on", metavar="KEYS", help="the keys of the jobs it depends on, comma-separated"
    )

    parser = Parser(
        prog="tc-portal-monitor",
        description="Report a job's runs to the TC Portal job monitor. "
        "TC_PORTAL_MONITOR_URL and TC_PORTAL_WEBHOOK_SECRET say where the portal is.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    run = actions.add_parser(
        "run",
        parents=[job],
        help="run a command as a run of the job: run [OPTIONS] -- COMMAND [ARGS...]",
    )
    run.add_argument("command", nargs=argparse.REMAINDER, help="the command and its arguments, after --")
    for status, meaning in (
        ("success", "report once that a run succeeded (always exits 0)"),
        ("error", "report once that a run failed (always exits 0)"),
        ("start", "report once that a run began (always exits 0)"),
    ):
        once = actions.add_parser(status, parents=[job], help=meaning)
        once.add_argument("message", nargs="?", help="the run's message")
    flush = actions.add_parser("flush", help="send the job's reports that wait in the spool")
    flush.add_argument("--job-key", help="the job's unique key (TC_PORTAL_JOB_KEY)")
    return parser


def _schedule_arguments(options: Any) -> Optional[Dict[str, Any]]:
    """The schedule of the environment, with the command line's fields
    winning over it: a rhythm given here replaces the environment's rhythm
    (and its time zone) whole."""
    given = {
        field: getattr(options, field)
        for field in ("cron", "every", "timezone") + DURATION_FIELDS[1:] + THRESHOLD_FIELDS + KEY_LIST_FIELDS
        if getattr(options, field) is not None
    }
    if not given:
        return None
    schedule = dict(_schedule_from(os.environ) or {})
    if "cron" in given or "every" in given:
        for field in ("cron", "every", "timezone"):
            schedule.pop(field, None)
    schedule.update(given)
    return schedule


def main(argv: Optional[List[str]] = None) -> int:
    """The command line: `tc-portal-monitor` or `python -m tc_portal_monitor`."""
    arguments = list(sys.argv if argv is None else argv)[1:]
    command: Optional[List[str]] = None
    if arguments[:1] == ["run"] and "--" in arguments:
        split = arguments.index("--")
        arguments, command = arguments[:split], arguments[split + 1 :]
    parser = _parser()
    try:
        options = parser.parse_args(arguments)
    except _UsageError as error:
        # A mistake in the reporter's options must not stop the job itself.
        if command:
            _log(f"{error}（報告せずにコマンドを実行します）", loud=True)
            return _exit_like(_run_plain(command))
        print(f"{parser.format_help()}\n{error}", file=sys.stderr)
        return 2
    if options.action == "flush":
        flush_spool(options.job_key)
        return 0
    job = {"job_key": options.job_key, "title": options.title, "entity_ref": options.entity_ref}
    schedule = _schedule_arguments(options)
    if options.action == "run":
        if options.command and command is not None:
            command = options.command + ["--"] + command  # the command's own --
        command = command if command is not None else options.command
        if not command:
            print(f"{parser.format_help()}\ntc-portal-monitor run: no command given after --", file=sys.stderr)
            return 2
        return _exit_like(run_command(command, **job, schedule=schedule))
    report_job_status(options.action, options.message, **job, schedule=schedule)
    # Best effort: a failed report does not fail the caller.
    return 0


def _run_plain(command: List[str]) -> int:
    try:
        return subprocess.call(command)
    except OSError as error:
        print(f"{command[0]} を実行できません: {error}", file=sys.stderr)
        return 127


if __name__ == "__main__":
    sys.exit(main())
