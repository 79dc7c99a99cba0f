"""report_job_status, monitor() and the command wrapper against a real
backend."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import unittest

import portal
import tc_portal_monitor as reporter
from support import ReporterTestCase

# A job script as the original snippet tells teams to write it.
SPEC_SCRIPT = """
from tc_portal_monitor import report_job_status

def process_data():
    raise ValueError("価格フィードが空です")

def main():
    try:
        process_data()
        report_job_status("success", "処理完了")
    except Exception as e:
        report_job_status("error", str(e))
        raise

if __name__ == "__main__":
    main()
"""


class ReportJobStatusTest(ReporterTestCase):
    def test_a_script_written_for_the_original_snippet_works_unchanged(self) -> None:
        result = self.script(SPEC_SCRIPT)

        # The job fails as it would without the reporter, after the report.
        self.assertEqual(result.returncode, 1)
        self.assertIn("ValueError: 価格フィードが空です", result.stderr)
        self.assertIn("[TC Portal] 報告成功: error", result.stdout)
        job = self.job()
        self.assertEqual(job["job"]["latestOutcome"], "error")
        self.assertEqual(job["job"]["title"], "Python reporter test")
        self.assertEqual(job["job"]["message"], "価格フィードが空です")
        self.assertLess(abs(time.time() - _epoch(job["job"]["finishedAt"])), 60)

    def test_reports_success_and_returns_true(self) -> None:
        result, out, _ = self.report("success", "処理完了")

        self.assertTrue(result)
        self.assertEqual(out, "[TC Portal] 報告成功: success\n")
        run = self.runs()[0]
        self.assertEqual(run["status"], "success")
        self.assertEqual(run["message"], "処理完了")
        self.assertTrue(run["host"])

    def test_pairs_a_start_and_its_finish_reported_by_hand(self) -> None:
        self.report("start")
        self.report("success", "処理完了")

        runs = self.runs()
        self.assertEqual(len(runs), 1)
        self.assertEqual(runs[0]["status"], "success")
        self.assertIsNotNone(runs[0]["startedAt"])

    def test_sends_the_entity_and_schedule_from_the_environment(self) -> None:
        self.set_env(
            TC_PORTAL_ENTITY_REF="component:price-service",
            TC_PORTAL_SCHEDULE="0 2 * * *",
            TC_PORTAL_SCHEDULE_TIMEZONE="Asia/Tokyo",
            TC_PORTAL_SCHEDULE_GRACE="PT30M",
        )
        self.report("success")

        job = self.job()["job"]
        self.assertEqual(job["entityRef"], "component:default/price-service")
        self.assertEqual(job["schedule"]["cron"], "0 2 * * *")
        self.assertEqual(job["schedule"]["timezone"], "Asia/Tokyo")

    def test_skips_with_one_message_when_a_variable_is_unset(self) -> None:
        self.set_env(TC_PORTAL_JOB_KEY=None)
        result = self.script(
            "from tc_portal_monitor import monitor, report_job_status\n"
            "with monitor():\n    pass\n"
            "report_job_status('success')\n"
        )

        self.assertEqual(result.returncode, 0)
        self.assertEqual(result.stdout, "[TC Portal] 環境変数が未設定のためスキップ\n")

    def test_a_wrong_secret_is_said_loudly_not_retried_and_kept(self) -> None:
        self.set_env(TC_PORTAL_WEBHOOK_SECRET="wrong")
        started = time.monotonic()
        result, out, err = self.report("error", "boom")

        self.assertFalse(result)
        self.assertLess(time.monotonic() - started, 3)
        self.assertNotIn("再試行", out)
        self.assertIn(
            "[TC Portal] 報告失敗: HTTP 401 Missing or wrong X-TC-Portal-Webhook-Secret header",
            err,
        )
        self.assertIsNone(self.job())
        # Once the secret is right, the next run delivers it.
        self.assertEqual([r["message"] for r in self.spooled()], ["boom"])
        self.set_env(TC_PORTAL_WEBHOOK_SECRET=portal.SECRET)
        self.report("success")
        self.assertEqual([r["status"] for r in self.runs()], ["success", "error"])
        self.assertEqual(self.spooled(), [])

    def test_a_report_the_portal_refuses_is_said_loudly_and_dropped(self) -> None:
        self.set_env(TC_PORTAL_ENTITY_REF="no-kind")
        result, out, err = self.report("success")

        self.assertFalse(result)
        self.assertIn("報告失敗: HTTP 400 Invalid job report: entity_ref", err)
        self.assertNotIn("再試行", out)
        self.assertEqual(self.spooled(), [])

    def test_the_command_line_reports_once_and_always_exits_0(self) -> None:
        ok = self.cli("success", "処理完了")
        self.set_env(TC_PORTAL_MONITOR_URL="http://127.0.0.1:9/api/monitor/job-report", TC_PORTAL_RETRIES="0")
        unreachable = self.cli("error", "boom")

        self.assertEqual((ok.returncode, unreachable.returncode), (0, 0))
        self.assertIn("[TC Portal] 報告成功: success", ok.stdout)
        self.assertIn("[TC Portal] 報告エラー:", unreachable.stdout)
        self.assertEqual(self.runs()[0]["message"], "処理完了")


class MonitorTest(ReporterTestCase):
    def test_a_block_reports_start_then_success_with_duration_and_message(self) -> None:
        with reporter.monitor() as run:
            time.sleep(0.05)
            run.message = "3 件を同期しました"
        job = self.job()

        self.assertEqual(job["job"]["health"], "ok")
        [stored] = job["runs"]
        self.assertEqual(stored["runId"], run.run_id)
        self.assertEqual(stored["status"], "success")
        self.assertEqual(stored["message"], "3 件を同期しました")
        self.assertEqual(stored["exitCode"], 0)
        self.assertGreaterEqual(stored["durationMs"], 50)

    def test_the_job_s_exception_passes_through_untouched_with_its_traceback_reported(self) -> None:
        error = ValueError("価格フィードが空です")
        with self.assertRaises(ValueError) as raised:
            with reporter.monitor():
                raise error

        self.assertIs(raised.exception, error)
        [stored] = self.runs()
        self.assertEqual(stored["status"], "error")
        self.assertEqual(stored["exitCode"], 1)
        self.assertTrue(stored["message"].startswith("Traceback (most recent call last):"))
        self.assertTrue(stored["message"].endswith("ValueError: 価格フィードが空です\n"))

    def test_a_long_traceback_keeps_its_tail_within_the_limit(self) -> None:
        with self.assertRaises(RuntimeError):
            with reporter.monitor():
                raise RuntimeError("x" * 40000 + " the end")

        message = self.runs()[0]["message"]
        self.assertLessEqual(len(message), reporter.MAX_MESSAGE_CHARACTERS)
        self.assertRegex(message, r"^\[\d+ characters omitted\]\n")
        self.assertTrue(message.endswith(" the end\n"))

    def test_a_decorated_function_returns_its_value(self) -> None:
        @reporter.monitor(schedule={"every": "PT1H"})
        def job(a: int, b: int) -> int:
            return a + b

        self.assertEqual(job.__name__, "job")
        self.assertEqual(job(2, 3), 5)
        self.assertEqual(job(1, 1), 2)
        job_view = self.job()
        self.assertEqual(len(job_view["runs"]), 2)
        self.assertEqual(job_view["job"]["schedule"]["every"], "PT1H")
        # Each call is a run of its own.
        self.assertNotEqual(job_view["runs"][0]["runId"], job_view["runs"][1]["runId"])

    def test_sys_exit_reports_its_code(self) -> None:
        result = self.script(
            "import sys\nfrom tc_portal_monitor import monitor\n"
            "@monitor()\ndef main():\n    sys.exit(3)\nmain()\n"
        )

        self.assertEqual(result.returncode, 3)
        [stored] = self.runs()
        self.assertEqual((stored["status"], stored["exitCode"]), ("error", 3))

    def test_a_portal_that_is_down_changes_nothing_for_the_job(self) -> None:
        self.set_env(
            TC_PORTAL_MONITOR_URL="http://127.0.0.1:9/api/monitor/job-report",
            TC_PORTAL_RETRIES="1",
            TC_PORTAL_TOTAL_TIMEOUT="3",
        )
        error = KeyError("missing")
        with self.assertRaises(KeyError) as raised:
            with reporter.monitor():
                raise error
        self.assertIs(raised.exception, error)

        @reporter.monitor()
        def job() -> str:
            return "done"

        self.assertEqual(job(), "done")
        self.assertEqual(
            [r["status"] for r in self.spooled()], ["start", "error", "start", "success"]
        )


class CommandTest(ReporterTestCase):
    def test_passes_the_exit_code_and_the_output_through_and_reports_the_tail(self) -> None:
        result = self.cli(
            "run",
            "--",
            sys.executable,
            "-c",
            "import sys; print('読み込み 10 件'); print('disk full', file=sys.stderr); sys.exit(3)",
        )

        self.assertEqual(result.returncode, 3)
        self.assertIn("読み込み 10 件", result.stdout)
        self.assertIn("disk full", result.stderr)
        job = self.job()
        self.assertEqual(job["job"]["health"], "error")
        [stored] = job["runs"]
        self.assertEqual((stored["status"], stored["exitCode"]), ("error", 3))
        self.assertIn("読み込み 10 件", stored["message"])
        self.assertIn("disk full", stored["message"])
        self.assertIsNotNone(stored["durationMs"])

    def test_a_success_reports_the_last_line_of_output(self) -> None:
        result = self.cli("run", "--", sys.executable, "-c", "print('a'); print('3 件を同期しました')")

        self.assertEqual(result.returncode, 0)
        [stored] = self.runs()
        self.assertEqual((stored["status"], stored["message"]), ("success", "3 件を同期しました"))

    def test_a_long_output_keeps_its_tail(self) -> None:
        result = self.cli(
            "run", "--", sys.executable, "-c",
            "import sys\nfor i in range(20000): print(f'line {i}')\nsys.exit(1)",
        )

        self.assertEqual(result.stdout.count("\n"), 20000 + result.stdout.count("[TC Portal]"))
        message = self.runs()[0]["message"]
        self.assertLessEqual(len(message), reporter.MAX_MESSAGE_CHARACTERS)
        self.assertRegex(message, r"^\[\d+ characters omitted\]\n")
        self.assertTrue(message.endswith("line 19999"))

    def test_a_command_that_cannot_start_is_an_error_with_exit_code_127(self) -> None:
        result = self.cli("run", "--", "/nonexistent/command")

        self.assertEqual(result.returncode, 127)
        [stored] = self.runs()
        self.assertEqual((stored["status"], stored["exitCode"]), ("error", 127))
        self.assertIn("/nonexistent/command", stored["message"])

    @unittest.skipUnless(hasattr(signal, "SIGKILL"), "POSIX signals")
    def test_a_command_killed_by_a_signal_is_an_error_and_the_wrapper_dies_the_same_way(self) -> None:
        result = self.cli(
            "run", "--", sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
        )

        self.assertEqual(result.returncode, -signal.SIGKILL)
        [stored] = self.runs()
        self.assertEqual((stored["status"], stored["exitCode"]), ("error", 137))
        self.assertIn("SIGKILL", stored["message"])

    @unittest.skipUnless(hasattr(signal, "SIGTERM") and os.name == "posix", "POSIX signals")
    def test_a_signal_to_the_wrapper_reaches_the_command(self) -> None:
        wrapper = subprocess.Popen(
            [sys.executable, portal.MODULE, "run", "--", sys.executable, "-c",
             "import time\nprint('started', flush=True)\ntime.sleep(60)"],
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for line in wrapper.stdout:
            if line.strip() == "started":
                break
        wrapper.send_signal(signal.SIGTERM)
        wrapper.communicate(timeout=30)

        self.assertEqual(wrapper.returncode, -signal.SIGTERM)
        [stored] = self.runs()
        self.assertEqual((stored["status"], stored["exitCode"]), ("error", 143))
        self.assertIn("SIGTERM", stored["message"])


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


if __name__ == "__main__":
    unittest.main()
