"""Report a job's runs to the TC Portal job monitor.

One file, standard library only, Python 3.8+. Copy it next to a script (or
put it on PYTHONPATH) and configure it with environment variables, the same
as the original snippet:

    TC_PORTAL_MONITOR_URL     the webhook, e.g. https://portal.example.com/api/monitor/job-report
    TC_PORTAL_WEBHOOK_SECRET  the shared secret (monitor.webhookSecret on the portal)
    TC_PORTAL_JOB_KEY         the job's unique key, e.g. daily-price-sync
    TC_PORTAL_JOB_TITLE       the name shown in the portal, e.g. 価格同期処理

Optional:

    TC_PORTAL_ENTITY_REF            the catalog entity of the job, e.g. component:default/price-service
    TC_PORTAL_SCHEDULE              the job's rhythm: an ISO 8601 duration (PT1H) or a cron expression (0 2 * * *)
    TC_PORTAL_SCHEDULE_TIMEZONE     the cron expression's IANA time zone, e.g. Asia/Tokyo
    TC_PORTAL_SCHEDULE_GRACE        how late a run may be before it counts as missed, e.g. PT30M
    TC_PORTAL_SCHEDULE_MAX_RUNTIME  how long a run may take before it counts as timed out, e.g. PT2H
    TC_PORTAL_TIMEOUT               seconds per try (default 10, as in the original snippet)
    TC_PORTAL_TOTAL_TIMEOUT         seconds for all tries of one report (default 60)
    TC_PORTAL_RETRIES               retries after the first try (default 4)
    TC_PORTAL_CA_FILE               a PEM file of CA certificates to trust for an https URL
    TC_PORTAL_SPOOL_DIR             where unsent reports wait for the next run ("off" turns it off)
    TC_PORTAL_SPOOL_MAX_REPORTS     how many unsent reports a job keeps (default 100)

Proxies come from the usual variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).

Three ways to use it:

    from tc_portal_monitor import report_job_status   # the original snippet's function
    report_job_status("success", "処理完了")

    from tc_portal_monitor import monitor              # start, finish, duration, traceback
    with monitor():
        run_the_job()

    python -m tc_portal_monitor run -- python sync_prices.py   # any command

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

__all__ = [
    "report_job_status",
    "monitor",
    "Monitor",
    "run_command",
    "flush_spool",
    "build_report",
    "Settings",
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

# The run id of the last "start" this process reported, which its finish
# reuses when none is given, so that the portal pairs the two.
_started_run_id: Optional[str] = None
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


def _schedule_from(env: Mapping[str, str]) -> Optional[Dict[str, str]]:
    rhythm = (env.get("TC_PORTAL_SCHEDULE") or "").strip()
    if not rhythm:
        return None
    schedule = {"cron": rhythm} if len(rhythm.split()) > 1 else {"every": rhythm}
    for variable, field in (
        ("TC_PORTAL_SCHEDULE_TIMEZONE", "timezone"),
        ("TC_PORTAL_SCHEDULE_GRACE", "grace"),
        ("TC_PORTAL_SCHEDULE_MAX_RUNTIME", "max_runtime"),
    ):
        value = (env.get(variable) or "").strip()
        if value:
            schedule[field] = value
    return schedule


def _default_spool_dir(env: Mapping[str, str]) -> str:
    if os.name == "nt" and env.get("LOCALAPPDATA"):
        base = env["LOCALAPPDATA"]
    else:
        base = env.get("XDG_STATE_HOME") or os.path.join(
            os.path.expanduser("~"), ".local", "state"
        )
    return os.path.join(base, "tc-portal-monitor", "spool")


class Settings:
    """The reporter's configuration, read from environment variables."""

    def __init__(self, env: Mapping[str, str]):
        self.url, self.secret, self.job_key, self.title = (
            env.get(name) or "" for name in REQUIRED_VARIABLES
        )
        self.configured = all([self.url, self.secret, self.job_key, self.title])
        self.entity_ref = env.get("TC_PORTAL_ENTITY_REF") or None
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
    def from_environment(cls) -> "Settings":
        return cls(os.environ)


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
        "schedule": schedule if schedule is not None else settings.schedule,
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
    headers = {"Content-Type": "application/json", SECRET_HEADER: settings.secret}
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
        lambda report: _post(settings, report, deadline=deadline, retries=0)
    )
    if sent:
        _log(f"未送信だった報告を {sent} 件送信しました")
    return emptied


def flush_spool() -> int:
    """Sends the reports that wait in the spool now. Returns how many are
    still waiting. Never raises."""
    try:
        settings = Settings.from_environment()
        spool = _spool_for(settings)
        if not settings.configured or spool is None:
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
        run_id: the run's id; a start and its finish share one. When not
            given, a finish reuses the id of this process's last start, and
            otherwise a new one is made.
        started_at, duration_ms, exit_code: optional facts of the run
        schedule: the job's rhythm, e.g. {"cron": "0 2 * * *",
            "timezone": "Asia/Tokyo", "grace": "PT30M"} or {"every": "PT1H"};
            TC_PORTAL_SCHEDULE and its companions when not given

    Returns:
        True when the portal stored the report. Never raises: a report that
        cannot be sent now is kept and sent by the next run.
    """
    global _started_run_id, _said_unconfigured
    try:
        if run_id is None:
            run_id = (_started_run_id if status != "start" else None) or str(uuid.uuid4())
        _started_run_id = run_id if status == "start" else None

        settings = Settings.from_environment()
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
        outcome, problem = _post(settings, report, deadline=deadline, retries=retries)

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

        with monitor() as run:
            count = sync_prices()
            run.message = f"{count} 件を同期しました"

        @monitor()
        def main(): ...
    """

    def __init__(self, schedule: Optional[Dict[str, Any]] = None):
        self.schedule = schedule
        self.run_id: Optional[str] = None
        self.message: Optional[str] = None
        self._started = 0.0
        self._started_at: Optional[str] = None

    def __enter__(self) -> "Monitor":
        self.run_id = str(uuid.uuid4())
        self._started_at = _now().isoformat()
        self._started = time.monotonic()
        report_job_status(
            "start", run_id=self.run_id, started_at=self._started_at, schedule=self.schedule
        )
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> bool:
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
        report_job_status(
            status,
            message,
            run_id=self.run_id,
            started_at=self._started_at,
            duration_ms=int((time.monotonic() - self._started) * 1000),
            exit_code=exit_code,
            schedule=self.schedule,
        )
        return False  # never swallow the job's exception

    def __call__(self, function: F) -> F:
        @functools.wraps(function)
        def monitored(*args: Any, **kwargs: Any) -> Any:
            with Monitor(self.schedule):
                return function(*args, **kwargs)

        return monitored  # type: ignore[return-value]


def monitor(schedule: Optional[Dict[str, Any]] = None) -> Monitor:
    """`with monitor():` around a block, or `@monitor()` on a function."""
    return Monitor(schedule)


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


def run_command(command: List[str]) -> int:
    """Runs a command as a monitored run: its exit code decides success, its
    output passes through, and the tail of it becomes the message (the last
    line, after a success). Signals the wrapper gets are passed on to the
    command. Returns the command's exit code (negative for a signal, as
    subprocess does)."""
    run_id = str(uuid.uuid4())
    started_at = _now().isoformat()
    started = time.monotonic()
    report_job_status("start", run_id=run_id, started_at=started_at)
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


USAGE = """usage:
  python -m tc_portal_monitor run -- COMMAND [ARGS...]    run a command and report its run
  python -m tc_portal_monitor success|error|start [MESSAGE] report once
  python -m tc_portal_monitor flush                         send the reports that wait in the spool"""


def main(argv: List[str]) -> int:
    if len(argv) >= 2 and argv[1] in ("success", "error", "start"):
        report_job_status(argv[1], argv[2] if len(argv) > 2 else None)
        # Best effort: a failed report does not fail the caller.
        return 0
    if len(argv) == 2 and argv[1] == "flush":
        flush_spool()
        return 0
    if len(argv) >= 3 and argv[1] == "run":
        command = argv[3:] if argv[2] == "--" else argv[2:]
        if command:
            return _exit_like(run_command(command))
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
