"""The reporter as teams install it: the wheel the common npm package ships
(dist/, built from this folder by build-wheel.sh with an installed flit_core
and no package index), installed with `pip install --no-index` into a fresh
virtual environment, its `tc-portal-monitor` command reporting to a real
backend.

`pip install` of the folder itself is not tested: it builds the wheel again,
in the installing Python, which needs flit_core there (from a package index,
or installed beforehand), and a fresh virtual environment without an index
has none. The READMEs offer the wheel and the one-file copy instead."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

import portal
import tc_portal_monitor as reporter
from support import ReporterTestCase

BUILD_SCRIPT = os.path.join(portal.PYTHON_DIR, "build-wheel.sh")
DIST = os.path.join(portal.PYTHON_DIR, "dist")
# What the wheel is made of (README.md is its long description).
WHEEL_SOURCES = ("tc_portal_monitor.py", "pyproject.toml", "README.md")


def shipped_wheel() -> str:
    """dist/'s wheel of this version, as the common package ships it.

    build-wheel.sh builds it when it is missing, older than its sources or
    not alone in dist/; otherwise the wheel an earlier run built (the other
    interpreter's, or prepack's) is the one tested. A failed build fails the
    tests that need the wheel."""
    wheel = os.path.join(DIST, f"tc_portal_monitor-{reporter.__version__}-py3-none-any.whl")
    newest_source = max(os.path.getmtime(os.path.join(portal.PYTHON_DIR, name)) for name in WHEEL_SOURCES)
    fresh = (
        os.path.exists(wheel)
        and os.path.getmtime(wheel) >= newest_source
        and glob.glob(os.path.join(DIST, "*.whl")) == [wheel]
    )
    if not fresh:
        built = subprocess.run(["bash", BUILD_SCRIPT], capture_output=True, text=True, timeout=300)
        if built.returncode != 0 or os.path.realpath(built.stdout.strip()) != os.path.realpath(wheel):
            raise AssertionError(f"building the wheel with build-wheel.sh failed:\n{built.stdout}\n{built.stderr}")
    return wheel


def _pip(python: str, *args: str) -> subprocess.CompletedProcess:
    """pip with none of this machine's configuration (no index, no find-links
    of its own), as on a job server without network."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    return subprocess.run(
        [python, "-m", "pip", "--disable-pip-version-check", *args],
        env={**env, "PIP_CONFIG_FILE": os.devnull},
        capture_output=True,
        text=True,
        timeout=600,
    )


class InstalledReporterTest(ReporterTestCase):
    folder = ""
    wheel = ""

    @classmethod
    def setUpClass(cls) -> None:
        cls.wheel = shipped_wheel()
        cls.folder = tempfile.mkdtemp(prefix="tc-portal-reporter-install-")

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
            module = wheel.read("tc_portal_monitor.py")
        with open(portal.MODULE, "rb") as source:
            source_module = source.read()

        self.assertEqual(os.path.basename(self.wheel), f"tc_portal_monitor-{reporter.__version__}-py3-none-any.whl")
        self.assertEqual(sorted(n for n in names if not n.startswith("tc_portal_monitor-")), ["tc_portal_monitor.py"])
        self.assertEqual(module, source_module, "the wheel's module differs from tc_portal_monitor.py")
        self.assertIn("tc-portal-monitor=tc_portal_monitor:main", entry_points.replace(" ", ""))
        self.assertIn("Requires-Python: >=3.8", metadata)
        self.assertIn("Classifier: License :: OSI Approved :: Apache Software License", metadata)
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
        version = self.command(command, "--version")
        where = self.command(python, "-c", "import tc_portal_monitor; print(tc_portal_monitor.__file__)")

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("[TC Portal] 報告成功: success", result.stdout)
        self.assertEqual(as_module.returncode, 0, as_module.stderr)
        self.assertEqual(version.stdout.strip(), f"tc-portal-monitor {reporter.__version__}")
        self.assertTrue(where.stdout.strip().startswith(self.folder), where.stdout)
        job = self.job()
        self.assertEqual(job["job"]["title"], "価格同期処理")
        self.assertEqual(job["job"]["schedule"]["every"], "PT1H")
        self.assertEqual([r["message"] for r in job["runs"]], ["boom", "42 件を同期しました"])
        # The portal counts the failure against the threshold the command sent.
        self.assertEqual(job["job"]["healthReasonDetail"]["code"], "belowThreshold")

    def test_building_left_only_the_wheel(self) -> None:
        # (A build under way elsewhere works in a hidden folder of dist/.)
        self.assertEqual([n for n in os.listdir(DIST) if not n.startswith(".")], [os.path.basename(self.wheel)])
        self.assertEqual(
            [n for n in os.listdir(portal.PYTHON_DIR) if n == "build" or n.endswith(".egg-info")],
            [],
        )


if __name__ == "__main__":
    unittest.main()
