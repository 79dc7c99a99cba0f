"""Retries, time budget, proxies and TLS, with faults injected between the
reporter and a real backend."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import unittest

import portal
from support import ReporterTestCase


class NetworkTest(ReporterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.proxy = portal.FaultProxy(self.portal.base)
        self.addCleanup(self.proxy.close)
        self.set_env(TC_PORTAL_MONITOR_URL=self.proxy.report_url)

    def test_waits_as_long_as_retry_after_says_then_delivers(self) -> None:
        self.proxy.faults.append(("status", 503, {"Retry-After": "1"}))
        started = time.monotonic()
        result, out, _ = self.report("success", "処理完了")

        self.assertTrue(result)
        self.assertGreaterEqual(time.monotonic() - started, 1.0)
        self.assertIn("[TC Portal] 再試行 1/4: HTTP 503 injected（1.0 秒後）", out)
        self.assertEqual(len(self.proxy.requests), 2)
        self.assertEqual(len(self.runs()), 1)

    def test_retries_429_408_and_a_dropped_connection_with_backoff(self) -> None:
        self.proxy.faults += [("status", 429, {}), ("status", 408, {}), ("drop",)]
        result, out, _ = self.report("error", "boom")

        self.assertTrue(result)
        self.assertEqual(out.count("再試行"), 3)
        self.assertEqual(len(self.proxy.requests), 4)
        self.assertEqual([r["message"] for r in self.runs()], ["boom"])
        # Every try is the same report: one run id.
        self.assertEqual(len({r["body"]["run_id"] for r in self.proxy.requests}), 1)

    def test_a_try_that_times_out_is_retried_and_the_run_is_stored_once(self) -> None:
        self.set_env(TC_PORTAL_TIMEOUT="2")
        # The first try reaches the portal after the reporter gave up on it.
        self.proxy.faults.append(("pause", 3))
        result, out, _ = self.report("success")
        # Every try reaches the backend: the paused one after the reporter
        # gave up on it. (On a busy machine a retry can time out too: more
        # tries, still one run.)
        deadline = time.monotonic() + 15
        while (
            len(self.proxy.forwarded) < max(2, len(self.proxy.requests))
            and time.monotonic() < deadline
        ):
            time.sleep(0.1)

        self.assertTrue(result)
        self.assertIn("timed out", out)
        self.assertGreaterEqual(len(self.proxy.requests), 2)
        self.assertEqual(
            [code for code, _ in self.proxy.forwarded], [200] * len(self.proxy.requests)
        )
        # The second is a retry of the first: the same stored run.
        self.assertEqual(len({answer["id"] for _, answer in self.proxy.forwarded}), 1)
        self.assertEqual(len(self.runs()), 1)

    def test_gives_up_within_its_time_budget_and_keeps_the_report(self) -> None:
        self.set_env(TC_PORTAL_TOTAL_TIMEOUT="2")
        self.proxy.faults.append(("status", 503, {"Retry-After": "30"}))
        started = time.monotonic()
        result, out, _ = self.report("error", "boom")

        self.assertFalse(result)
        self.assertLess(time.monotonic() - started, 5)
        self.assertIn("報告エラー: HTTP 503 injected（待ち時間の上限に達しました）", out)
        self.assertEqual([r["message"] for r in self.spooled()], ["boom"])

    def test_stops_after_its_retries(self) -> None:
        self.set_env(TC_PORTAL_RETRIES="2")
        self.proxy.faults += [("status", 502, {"Retry-After": "0"})] * 3
        result, _, _ = self.report("success")

        self.assertFalse(result)
        self.assertEqual(len(self.proxy.requests), 3)
        self.assertEqual(len(self.spooled()), 1)

    def test_does_not_retry_a_refused_report_or_a_wrong_secret(self) -> None:
        self.set_env(TC_PORTAL_ENTITY_REF="no-kind")
        self.report("success")
        self.set_env(TC_PORTAL_ENTITY_REF=None, TC_PORTAL_WEBHOOK_SECRET="wrong")
        self.report("success")

        self.assertEqual(len(self.proxy.requests), 2)

    def test_goes_through_the_proxy_of_the_environment(self) -> None:
        self.set_env(TC_PORTAL_MONITOR_URL=self.portal.report_url, HTTP_PROXY=self.proxy.url)
        result, _, _ = self.report("success")

        self.assertTrue(result)
        [request] = self.proxy.requests
        self.assertEqual(request["path"], self.portal.report_url)
        self.assertEqual(len(self.runs()), 1)


class TlsTest(ReporterTestCase):
    def setUp(self) -> None:
        super().setUp()
        folder = tempfile.mkdtemp(prefix="tc-portal-tls-")
        self.addCleanup(shutil.rmtree, folder, True)
        self.certificate, key = portal.self_signed_certificate(folder)
        self.proxy = portal.FaultProxy(self.portal.base, tls=(self.certificate, key))
        self.addCleanup(self.proxy.close)
        self.set_env(TC_PORTAL_MONITOR_URL=self.proxy.report_url)

    def test_an_untrusted_certificate_is_a_setup_problem_until_the_ca_file_is_given(self) -> None:
        result, out, err = self.report("error", "boom")

        self.assertFalse(result)
        self.assertIn("報告失敗: TLS:", err)
        self.assertIn("CERTIFICATE_VERIFY_FAILED", err)
        self.assertNotIn("再試行", out)
        self.assertEqual(len(self.spooled()), 1)

        self.set_env(TC_PORTAL_CA_FILE=self.certificate)
        result, out, _ = self.report("success")

        self.assertTrue(result)
        self.assertIn("未送信だった報告を 1 件送信しました", out)
        self.assertEqual([r["status"] for r in self.runs()], ["success", "error"])

    def test_a_missing_ca_file_is_named(self) -> None:
        self.set_env(TC_PORTAL_CA_FILE=os.path.join(tempfile.gettempdir(), "no-such-ca.pem"))
        result, _, err = self.report("success")

        self.assertFalse(result)
        self.assertIn("TC_PORTAL_CA_FILE を読めません", err)
        self.assertEqual(self.proxy.requests, [])


if __name__ == "__main__":
    unittest.main()
