"""The job's identity and expectations given where the job is: as arguments
of report_job_status and monitor(), and on the command line, winning over
the environment, against a real backend."""

from __future__ import annotations

import sys
import unittest

import portal  # noqa: F401  (puts the reporter on the path)
import tc_portal_monitor as reporter
from support import ReporterTestCase


class IdentityFromCodeTest(ReporterTestCase):
    def setUp(self) -> None:
        super().setUp()
        # The environment names another job; the arguments must win.
        self.own_key = f"{self.job_key}-own"

    def own_job(self) -> dict:
        job = self.portal.job(self.own_key)
        self.assertIsNotNone(job, f"no job {self.own_key} in the portal")
        return job

    def test_report_job_status_reports_the_job_its_arguments_name(self) -> None:
        result, _, _ = self.report("success", "処理完了", job_key=self.own_key, title="価格同期処理")

        self.assertTrue(result)
        job = self.own_job()
        self.assertEqual(job["job"]["title"], "価格同期処理")
        self.assertEqual(job["runs"][0]["message"], "処理完了")
        self.assertIsNone(self.job(), "the environment's job was reported too")

    def test_a_title_from_the_environment_fills_in_what_the_arguments_leave_out(self) -> None:
        self.report("success", job_key=self.own_key)

        self.assertEqual(self.own_job()["job"]["title"], "Python reporter test")

    def test_without_the_environment_the_arguments_are_enough(self) -> None:
        self.set_env(TC_PORTAL_JOB_KEY=None, TC_PORTAL_JOB_TITLE=None)
        self.report("error", "boom", job_key=self.own_key, title="Own job")

        self.assertEqual(self.own_job()["job"]["latestOutcome"], "error")

    def test_a_start_pairs_with_the_finish_of_the_same_job_only(self) -> None:
        other_key = f"{self.job_key}-other"
        self.report("start", job_key=self.own_key, title="Own job")
        self.report("start", job_key=other_key, title="Other job")
        self.report("success", job_key=self.own_key, title="Own job")
        self.report("error", job_key=other_key, title="Other job")

        own = self.own_job()["runs"]
        other = self.portal.job(other_key)["runs"]
        self.assertEqual([(r["status"], bool(r["startedAt"])) for r in own], [("success", True)])
        self.assertEqual([(r["status"], bool(r["startedAt"])) for r in other], [("error", True)])

    def test_monitor_as_a_block_and_as_a_decorator_names_its_job(self) -> None:
        with reporter.monitor(self.own_key, "Own job", entity_ref="component:price-service"):
            pass

        @reporter.monitor(job_key=self.own_key, title="Own job")
        def sync_prices() -> str:
            return "synced"

        self.assertEqual(sync_prices(), "synced")
        job = self.own_job()
        self.assertEqual([r["status"] for r in job["runs"]], ["success", "success"])
        self.assertEqual(job["job"]["entityRef"], "component:default/price-service")
        self.assertIsNone(self.job())

    def test_the_older_monitor_schedule_form_still_works(self) -> None:
        with reporter.monitor({"every": "PT1H"}):
            pass
        first = self.job()["job"]["schedule"]["every"]
        with reporter.Monitor({"every": "PT2H"}):
            pass

        self.assertEqual((first, self.job()["job"]["schedule"]["every"]), ("PT1H", "PT2H"))

    def test_thresholds_sent_with_the_schedule_decide_when_the_job_fails(self) -> None:
        schedule = {"every": "1h", "grace": "30m", "failure_threshold": 2, "recovery_threshold": 2}
        report = lambda status: self.report(  # noqa: E731
            status, job_key=self.own_key, title="Own job", schedule=schedule
        )

        report("error")
        first = self.own_job()["job"]
        report("error")
        second = self.own_job()["job"]
        report("success")
        third = self.own_job()["job"]

        self.assertEqual(first["health"], "ok")
        self.assertEqual(
            first["healthReasonDetail"], {"code": "belowThreshold", "failures": 1, "threshold": 2}
        )
        self.assertEqual(second["health"], "error")
        self.assertEqual(third["health"], "error")
        self.assertEqual(
            third["healthReasonDetail"], {"code": "recovering", "successes": 1, "threshold": 2}
        )
        self.assertEqual((first["schedule"]["every"], first["schedule"]["grace"]), ("PT1H", "PT30M"))
        self.assertEqual((first["failureThreshold"], first["recoveryThreshold"]), (2, 2))

    def test_a_schedule_the_portal_refuses_does_not_cost_the_run(self) -> None:
        result, _, err = self.report(
            "success", "処理完了", job_key=self.own_key, title="Own job", schedule={"cron": "0 0 2 * * *"}
        )

        self.assertTrue(result)
        self.assertIn("スケジュールが受け付けられませんでした: HTTP 400 Invalid job report: schedule.cron", err)
        job = self.own_job()
        self.assertEqual(job["runs"][0]["message"], "処理完了")
        self.assertIsNone(job["job"]["schedule"])

    def test_thresholds_without_a_rhythm_are_left_out_with_a_word(self) -> None:
        result, _, err = self.report(
            "success", job_key=self.own_key, title="Own job", schedule={"failure_threshold": 3}
        )

        self.assertTrue(result)
        self.assertIn("failure_threshold は周期 (cron か every) と一緒にしか送れないため送りません", err)
        self.assertIsNone(self.own_job()["job"]["schedule"])


class IdentityOnTheCommandLineTest(ReporterTestCase):
    def test_run_reports_the_job_and_schedule_its_options_give(self) -> None:
        own_key = f"{self.job_key}-cli"
        result = self.cli(
            "run",
            "--job-key", own_key,
            "--title", "価格同期処理",
            "--entity-ref", "component:price-service",
            "--cron", "0 2 * * *",
            "--timezone", "Asia/Tokyo",
            "--grace", "30m",
            "--max-runtime", "2h",
            "--failure-threshold", "3",
            "--",
            sys.executable, "-c", "print('3 件を同期しました')",
        )

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("3 件を同期しました", result.stdout)
        job = self.portal.job(own_key)
        self.assertEqual(job["job"]["title"], "価格同期処理")
        self.assertEqual(job["job"]["entityRef"], "component:default/price-service")
        self.assertEqual(
            job["job"]["schedule"],
            {
                "cron": "0 2 * * *",
                "timezone": "Asia/Tokyo",
                "grace": "PT30M",
                "maxRuntime": "PT2H",
                "source": "report",
            },
        )
        self.assertEqual(job["runs"][0]["message"], "3 件を同期しました")
        self.assertIsNone(self.job(), "the environment's job was reported too")

        failed = self.cli("run", "--job-key", own_key, "--title", "価格同期処理", "--cron", "0 2 * * *",
                          "--failure-threshold", "3", "--", sys.executable, "-c", "raise SystemExit(4)")
        self.assertEqual(failed.returncode, 4)
        self.assertEqual(
            self.portal.job(own_key)["job"]["healthReasonDetail"],
            {"code": "belowThreshold", "failures": 1, "threshold": 3},
        )

    def test_a_success_faster_than_the_minimum_runtime_fails_the_job_not_the_command(self) -> None:
        own_key = f"{self.job_key}-fast"
        result = self.cli(
            "run", "--job-key", own_key, "--title", "夜間バックアップ",
            "--every", "1d", "--min-runtime", "1h",
            "--", sys.executable, "-c", "print('0 件をバックアップしました')",
        )

        self.assertEqual(result.returncode, 0, result.stderr)
        job = self.portal.job(own_key)["job"]
        self.assertEqual(job["schedule"]["minRuntime"], "PT1H")
        self.assertEqual(job["health"], "error")
        self.assertEqual(job["healthReasonDetail"]["code"], "tooFast")
        self.assertEqual(job["healthReasonDetail"]["minRuntimeMs"], 3600000)
        self.assertLess(job["healthReasonDetail"]["durationMs"], 3600000)

    def test_a_job_names_the_jobs_it_depends_on_and_fails_because_of_them(self) -> None:
        upstream_key = f"{self.job_key}-export"
        own_key = f"{self.job_key}-import"
        self.cli("error", "the feed is down", "--job-key", upstream_key, "--title", "価格エクスポート")
        result = self.cli(
            "run", "--job-key", own_key, "--title", "価格インポート", "--every", "1d",
            "--depends-on", f" {upstream_key} , ",
            "--", sys.executable, "-c", "raise SystemExit(2)",
        )

        self.assertEqual(result.returncode, 2, result.stderr)
        job = self.portal.job(own_key)["job"]
        self.assertEqual(job["dependsOn"], [upstream_key])
        self.assertEqual(job["upstream"], {"jobKey": upstream_key, "title": "価格エクスポート"})

        # The same from the environment.
        self.set_env(TC_PORTAL_SCHEDULE="1d", TC_PORTAL_SCHEDULE_DEPENDS_ON=upstream_key)
        self.cli("error", "--job-key", f"{own_key}-env", "--title", "価格インポート (env)")
        self.assertEqual(
            self.portal.job(f"{own_key}-env")["job"]["upstream"],
            {"jobKey": upstream_key, "title": "価格エクスポート"},
        )

    def test_options_win_over_the_environment_field_by_field(self) -> None:
        self.set_env(
            TC_PORTAL_SCHEDULE="PT1H",
            TC_PORTAL_SCHEDULE_GRACE="PT5M",
            TC_PORTAL_SCHEDULE_MAX_RUNTIME="PT10M",
        )
        result = self.cli("success", "done", "--title", "From the command line", "--grace", "45m")

        self.assertEqual(result.returncode, 0, result.stderr)
        job = self.job()["job"]
        self.assertEqual(job["title"], "From the command line")
        self.assertEqual(
            (job["schedule"]["every"], job["schedule"]["grace"], job["schedule"]["maxRuntime"]),
            ("PT1H", "PT45M", "PT10M"),
        )

    def test_a_rhythm_on_the_command_line_replaces_the_environment_s(self) -> None:
        self.set_env(TC_PORTAL_SCHEDULE="PT1H", TC_PORTAL_SCHEDULE_GRACE="PT5M")
        self.cli("success", "--cron", "30 6 * * 1-5", "--timezone", "Asia/Tokyo")

        schedule = self.job()["job"]["schedule"]
        self.assertEqual(schedule["cron"], "30 6 * * 1-5")
        self.assertNotIn("every", schedule)
        self.assertEqual(schedule["grace"], "PT5M")

    def test_a_mistake_in_the_reporter_s_options_still_runs_the_job(self) -> None:
        result = self.cli(
            "run", "--failure-threshold", "three", "--",
            sys.executable, "-c", "print('ran'); raise SystemExit(3)",
        )

        self.assertEqual(result.returncode, 3)
        self.assertIn("ran", result.stdout)
        self.assertIn("--failure-threshold: invalid int value: 'three'", result.stderr)
        self.assertIsNone(self.job())

    def test_the_command_s_own_double_dash_and_options_pass_through(self) -> None:
        result = self.cli(
            "run", sys.executable, "-c", "import sys; print(sys.argv[1:])", "--", "--title", "x",
        )

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("['--', '--title', 'x']", result.stdout)
        self.assertEqual(self.job()["job"]["title"], "Python reporter test")

    def test_help_and_version(self) -> None:
        help_text = self.cli("run", "--help")
        version = self.cli("--version")

        self.assertEqual((help_text.returncode, version.returncode), (0, 0))
        for option in ("--job-key", "--title", "--cron", "--timezone", "--grace", "--max-runtime",
                       "--failure-threshold", "--recovery-threshold"):
            self.assertIn(option, help_text.stdout)
        self.assertEqual(version.stdout.strip(), f"tc-portal-monitor {reporter.__version__}")


if __name__ == "__main__":
    unittest.main()
