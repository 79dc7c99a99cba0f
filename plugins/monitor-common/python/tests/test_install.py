"""The reporter as teams install it: a wheel built from this folder,
installed into a fresh virtual environment, its `tc-portal-monitor` command
reporting to a real backend; and `pip install` of the folder itself."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile
from typing import List

import portal
import tc_portal_monitor as reporter
from support import ReporterTestCase


def _pip(python: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [python, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


class InstalledReporterTest(ReporterTestCase):
    folder = ""
    wheel = ""

    @classmethod
    def setUpClass(cls) -> None:
        cls.folder = tempfile.mkdtemp(prefix="tc-portal-reporter-install-")
        built = _pip(sys.executable, "wheel", "--no-deps", "-w", cls.folder, portal.PYTHON_DIR)
        wheels = glob.glob(os.path.join(cls.folder, "*.whl"))
        if built.returncode != 0 or len(wheels) != 1:
            raise AssertionError(f"building the wheel failed:\n{built.stdout}\n{built.stderr}")
        cls.wheel = wheels[0]

    @classmethod
    def tearDownClass(cls) -> None:
        shutil.rmtree(cls.folder, ignore_errors=True)

    def venv(self, name: str) -> str:
        """A fresh virtual environment; returns the folder of its programs."""
        home = os.path.join(self.folder, name)
        subprocess.run([sys.executable, "-m", "venv", home], check=True, timeout=300)
        return os.path.join(home, "Scripts" if os.name == "nt" else "bin")

    def command(self, program: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [program, *args],
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            # Away from the source folder, so that only the installed copy
            # can be imported.
            cwd=self.folder,
        )

    def test_the_wheel_holds_the_one_module_and_the_command(self) -> None:
        with zipfile.ZipFile(self.wheel) as wheel:
            names = wheel.namelist()
            entry_points = wheel.read(
                next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
            ).decode()
            metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()

        self.assertEqual(os.path.basename(self.wheel), f"tc_portal_monitor-{reporter.__version__}-py3-none-any.whl")
        self.assertEqual(sorted(n for n in names if not n.startswith("tc_portal_monitor-")), ["tc_portal_monitor.py"])
        self.assertIn("tc-portal-monitor=tc_portal_monitor:main", entry_points.replace(" ", ""))
        self.assertIn("Requires-Python: >=3.8", metadata)
        self.assertNotIn("Requires-Dist", metadata)

    def test_the_installed_command_runs_a_job_and_reports_it(self) -> None:
        programs = self.venv("from-wheel")
        python = os.path.join(programs, "python")
        installed = _pip(python, "install", "--no-index", self.wheel)
        self.assertEqual(installed.returncode, 0, installed.stderr)
        command = os.path.join(programs, "tc-portal-monitor")

        result = self.command(
            command, "run", "--job-key", self.job_key, "--title", "価格同期処理",
            "--every", "1h", "--failure-threshold", "2", "--",
            sys.executable, "-c", "print('42 件を同期しました')",
        )
        as_module = self.command(python, "-m", "tc_portal_monitor", "error", "boom", "--title", "価格同期処理")
        where = self.command(python, "-c", "import tc_portal_monitor; print(tc_portal_monitor.__file__)")

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("[TC Portal] 報告成功: success", result.stdout)
        self.assertEqual(as_module.returncode, 0, as_module.stderr)
        self.assertTrue(where.stdout.strip().startswith(self.folder), where.stdout)
        job = self.job()
        self.assertEqual(job["job"]["title"], "価格同期処理")
        self.assertEqual(job["job"]["schedule"]["every"], "PT1H")
        self.assertEqual([r["message"] for r in job["runs"]], ["boom", "42 件を同期しました"])
        # The portal counts the failure against the threshold the command sent.
        self.assertEqual(job["job"]["healthReasonDetail"]["code"], "belowThreshold")

    def test_pip_install_of_the_folder_gives_the_command_too(self) -> None:
        programs = self.venv("from-folder")
        installed = _pip(os.path.join(programs, "python"), "install", portal.PYTHON_DIR)
        self.assertEqual(installed.returncode, 0, installed.stderr)

        version = self.command(os.path.join(programs, "tc-portal-monitor"), "--version")
        reported = self.command(os.path.join(programs, "tc-portal-monitor"), "success", "処理完了")

        self.assertEqual(version.stdout.strip(), f"tc-portal-monitor {reporter.__version__}")
        self.assertEqual(reported.returncode, 0, reported.stderr)
        self.assertEqual(self.runs()[0]["message"], "処理完了")
        # Building left nothing behind in the source folder.
        self.assertEqual(self._untracked_build_output(), [])

    def _untracked_build_output(self) -> List[str]:
        return [
            name
            for name in os.listdir(portal.PYTHON_DIR)
            if name in ("build", "dist") or name.endswith(".egg-info")
        ]


if __name__ == "__main__":
    unittest.main()
