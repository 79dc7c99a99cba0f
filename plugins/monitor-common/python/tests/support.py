"""A test case with a job of its own on the shared backend: its own job key,
spool folder and environment."""

from __future__ import annotations

import contextlib
import glob
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import uuid
from typing import Any, Dict, List, Optional, Tuple
from unittest import mock

import portal
import tc_portal_monitor

# Variables of the machine that would change what the reporter does.
_AMBIENT = [
    name
    for name in os.environ
    if name.startswith("TC_PORTAL_") or name.lower() in ("http_proxy", "https_proxy", "no_proxy", "all_proxy")
]


class ReporterTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.portal = portal.backend()
        name = self.id().rsplit(".", 1)[-1].replace("_", "-")[:40]
        self.job_key = f"py-{name}-{uuid.uuid4().hex[:8]}"
        self.spool_dir = tempfile.mkdtemp(prefix="tc-portal-spool-")
        self.addCleanup(shutil.rmtree, self.spool_dir, True)
        self.env: Dict[str, str] = {
            "TC_PORTAL_MONITOR_URL": self.portal.report_url,
            "TC_PORTAL_WEBHOOK_SECRET": portal.SECRET,
            "TC_PORTAL_JOB_KEY": self.job_key,
            "TC_PORTAL_JOB_TITLE": "Python reporter test",
            "TC_PORTAL_SPOOL_DIR": self.spool_dir,
            "TC_PORTAL_TIMEOUT": "5",
            "TC_PORTAL_TOTAL_TIMEOUT": "20",
        }
        clean = {key: value for key, value in os.environ.items() if key not in _AMBIENT}
        patcher = mock.patch.dict(os.environ, {**clean, **self.env}, clear=True)
        patcher.start()
        self.addCleanup(patcher.stop)
        # What the reporter prints in this process, kept out of the test
        # run's output.
        self.output = io.StringIO()
        quiet = contextlib.ExitStack()
        quiet.enter_context(contextlib.redirect_stdout(self.output))
        quiet.enter_context(contextlib.redirect_stderr(self.output))
        self.addCleanup(quiet.close)
        tc_portal_monitor._started_run_ids.clear()
        tc_portal_monitor._said.clear()
        tc_portal_monitor._said_unconfigured = False

    def set_env(self, **variables: Optional[str]) -> None:
        """Changes the environment of this test, in process and for cli()."""
        for key, value in variables.items():
            if value is None:
                self.env.pop(key, None)
                os.environ.pop(key, None)
            else:
                self.env[key] = value
                os.environ[key] = value

    def report(self, *args: Any, **kwargs: Any) -> Tuple[bool, str, str]:
        """report_job_status in this process; its result and what it printed."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            result = tc_portal_monitor.report_job_status(*args, **kwargs)
        return result, out.getvalue(), err.getvalue()

    def cli(self, *args: str, timeout: float = 60, **popen: Any) -> subprocess.CompletedProcess:
        """The reporter's command line, in a process of its own."""
        return subprocess.run(
            [sys.executable, portal.MODULE, *args],
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            **popen,
        )

    def script(self, source: str, timeout: float = 60) -> subprocess.CompletedProcess:
        """A Python job script that imports the reporter."""
        prelude = f"import sys\nsys.path.insert(0, {portal.PYTHON_DIR!r})\n"
        return subprocess.run(
            [sys.executable, "-c", prelude + source],
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
        )

    def job(self) -> Optional[Dict[str, Any]]:
        return self.portal.job(self.job_key)

    def runs(self) -> List[Dict[str, Any]]:
        job = self.job()
        return job["runs"] if job else []

    def spooled(self) -> List[Dict[str, Any]]:
        """The reports waiting in this test's spool, oldest first."""
        reports = []
        for path in sorted(glob.glob(os.path.join(self.spool_dir, "*", "*.json"))):
            if not os.path.basename(path).startswith("."):
                with open(path, encoding="utf-8") as file:
                    reports.append(json.load(file))
        return reports
