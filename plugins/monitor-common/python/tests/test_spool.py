"""The local spool: reports the portal could not take wait there and are
sent, oldest first, by the next run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import unittest

import portal
import tc_portal_monitor as reporter
from support import ReporterTestCase

UNREACHABLE = "http://127.0.0.1:9/api/monitor/job-report"


class SpoolTest(ReporterTestCase):
    def test_reports_made_while_the_backend_is_down_arrive_after_it_restarts(self) -> None:
        self.portal.stop()
        try:
            failed = self.script(
                "from tc_portal_monitor import monitor\n"
                "with monitor():\n    raise SystemExit(4)\n"
            )
        finally:
            self.portal.start()

        # The job ended as it would have without the reporter.
        self.assertEqual(failed.returncode, 4)
        self.assertEqual([r["status"] for r in self.spooled()], ["start", "error"])
        self.assertIsNone(self.job())

        nxt = self.script("from tc_portal_monitor import monitor\nwith monitor():\n    pass\n")

        self.assertEqual(nxt.returncode, 0)
        lines = nxt.stdout.splitlines()
        self.assertEqual(lines[0], "[TC Portal] 未送信だった報告を 2 件送信しました")
        self.assertEqual(lines[1:], ["[TC Portal] 報告成功: start", "[TC Portal] 報告成功: success"])
        runs = self.runs()
        self.assertEqual([(r["status"], r["exitCode"]) for r in runs], [("success", 0), ("error", 4)])
        self.assertIsNotNone(runs[1]["durationMs"])
        self.assertEqual(self.spooled(), [])

    def test_keeps_only_the_newest_reports_up_to_its_limit(self) -> None:
        self.set_env(
            TC_PORTAL_MONITOR_URL=UNREACHABLE, TC_PORTAL_RETRIES="0", TC_PORTAL_SPOOL_MAX_REPORTS="3"
        )
        said = "".join(self.report("error", f"m{number}")[1] for number in range(1, 6))

        self.assertEqual([r["message"] for r in self.spooled()], ["m3", "m4", "m5"])
        self.assertEqual(said.count("古いものから 1 件を破棄しました"), 2)

    def test_two_runs_sending_at_once_send_each_report_once(self) -> None:
        self.set_env(TC_PORTAL_MONITOR_URL=UNREACHABLE, TC_PORTAL_RETRIES="0")
        for number in range(30):
            self.report("error", f"m{number}")
        self.assertEqual(len(self.spooled()), 30)

        proxy = portal.FaultProxy(self.portal.base)
        self.addCleanup(proxy.close)
        self.set_env(TC_PORTAL_MONITOR_URL=proxy.report_url)
        runs = [
            subprocess.Popen(
                [sys.executable, portal.MODULE, "flush"],
                env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(2)
        ]
        for run in runs:
            run.communicate(timeout=60)
            self.assertEqual(run.returncode, 0)

        sent = [r["body"]["message"] for r in proxy.requests]
        self.assertEqual(sorted(sent), sorted(f"m{n}" for n in range(30)))
        self.assertEqual(self.spooled(), [])
        self.assertEqual(self.job()["runsTotalCount"], 30)

    def test_a_report_claimed_by_a_run_that_died_is_sent_again_later(self) -> None:
        self.set_env(TC_PORTAL_MONITOR_URL=UNREACHABLE, TC_PORTAL_RETRIES="0")
        self.report("error", "orphan")
        spool = reporter.Spool(self.spool_dir, self.job_key, 100)
        [name] = [n for n in os.listdir(spool.directory) if n.endswith(".json")]
        claimed = os.path.join(spool.directory, f".claimed-999999-{name}")
        os.rename(os.path.join(spool.directory, name), claimed)
        old = time.time() - reporter.STALE_CLAIM_SECONDS - 1
        os.utime(claimed, (old, old))

        self.set_env(TC_PORTAL_MONITOR_URL=self.portal.report_url)
        self.report("success")

        self.assertEqual([r["message"] for r in self.runs()], [None, "orphan"])
        self.assertEqual(os.listdir(spool.directory), [])

    def test_an_unreadable_report_is_dropped_with_a_message(self) -> None:
        spool = reporter.Spool(self.spool_dir, self.job_key, 100)
        os.makedirs(spool.directory)
        with open(os.path.join(spool.directory, "00000000000000000001-broken.json"), "w") as file:
            file.write("{not json")

        result, out, _ = self.report("success")

        self.assertTrue(result)
        self.assertIn("読めない未送信の報告を破棄しました", out)
        self.assertEqual(os.listdir(spool.directory), [])

    def test_a_job_s_spool_does_not_mix_with_another_job_s(self) -> None:
        self.set_env(TC_PORTAL_MONITOR_URL=UNREACHABLE, TC_PORTAL_RETRIES="0")
        self.report("error", "mine")
        other = f"{self.job_key}-other"
        self.set_env(TC_PORTAL_MONITOR_URL=self.portal.report_url, TC_PORTAL_JOB_KEY=other)
        self.report("success")

        self.assertIsNone(self.job())
        self.assertEqual(len(self.spooled()), 1)
        self.assertEqual(len(self.portal.job(other)["runs"]), 1)

    def test_the_spool_can_be_turned_off(self) -> None:
        self.set_env(TC_PORTAL_MONITOR_URL=UNREACHABLE, TC_PORTAL_RETRIES="0", TC_PORTAL_SPOOL_DIR="off")
        result, out, _ = self.report("error")

        self.assertFalse(result)
        self.assertNotIn("保存", out)
        self.assertEqual(os.listdir(self.spool_dir), [])

    def test_a_spooled_report_carries_no_secret(self) -> None:
        self.set_env(TC_PORTAL_MONITOR_URL=UNREACHABLE, TC_PORTAL_RETRIES="0")
        self.report("error")
        for root, _, files in os.walk(self.spool_dir):
            for name in files:
                with open(os.path.join(root, name), encoding="utf-8") as file:
                    self.assertNotIn(portal.SECRET, file.read())


if __name__ == "__main__":
    unittest.main()
