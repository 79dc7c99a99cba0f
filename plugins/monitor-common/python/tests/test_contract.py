"""The reporter against the shared test vectors of the job report contract
(test-vectors/job-report.json), which the zod schemas are checked against
too."""

from __future__ import annotations

import ast
import time
import unittest
from datetime import datetime

import portal
import tc_portal_monitor as reporter
from support import ReporterTestCase

VECTORS = portal.load_vectors()
NOW = datetime.fromisoformat("2024-01-25T10:00:00.123456+00:00")
RUN_ID = "5f0c6f0e-7a0b-4c55-9b1e-2f64d7f1a001"


class ContractTest(unittest.TestCase):
    def test_speaks_the_contract_s_header_statuses_and_limits(self) -> None:
        self.assertEqual(reporter.SECRET_HEADER, VECTORS["secret_header"])
        self.assertEqual(reporter.MAX_HOST_CHARACTERS, VECTORS["limits"]["host"])
        self.assertEqual(
            reporter.MAX_MESSAGE_CHARACTERS, VECTORS["limits"]["reporter_message_tail"]
        )
        self.assertIn(VECTORS["path"], VECTORS["reporter"][0]["env"]["TC_PORTAL_MONITOR_URL"])
        usage = reporter._parser().format_help()
        for status in VECTORS["statuses"]:
            self.assertIn(status, usage)

    def test_builds_the_reports_the_vectors_expect(self) -> None:
        for vector in VECTORS["reporter"]:
            with self.subTest(vector["name"]):
                call = dict(vector["call"])
                status = call.pop("status")
                report = reporter.build_report(
                    reporter.Settings(vector["env"], **vector.get("arguments", {})),
                    status,
                    call.pop("message", None),
                    run_id=RUN_ID,
                    now=NOW,
                    host="batch-01",
                    **call,
                )
                self.assertEqual(report, vector["report"])

    def test_cuts_a_long_host_name_to_the_limit(self) -> None:
        report = reporter.build_report(
            reporter.Settings(VECTORS["reporter"][0]["env"]),
            "success",
            run_id=RUN_ID,
            now=NOW,
            host="h" * 300,
        )
        self.assertEqual(len(report["host"]), VECTORS["limits"]["host"])

    def test_is_python_3_8_syntax(self) -> None:
        with open(portal.MODULE, encoding="utf-8") as file:
            ast.parse(file.read(), feature_version=(3, 8))


class ContractAgainstTheBackendTest(ReporterTestCase):
    def post(self, body: dict) -> tuple:
        settings = reporter.Settings.from_environment()
        return reporter._post(settings, body, deadline=time.monotonic() + 10, retries=0)

    def test_the_backend_accepts_the_accepted_vectors(self) -> None:
        for vector in VECTORS["accepted"] + [
            {"name": v["name"], "body": v["report"]} for v in VECTORS["reporter"]
        ]:
            with self.subTest(vector["name"]):
                body = {**vector["body"], "job_key": self.job_key}
                self.assertEqual(self.post(body), (reporter.SENT, "HTTP 200"))

    def test_the_backend_refuses_the_refused_vectors_naming_the_field(self) -> None:
        for vector in VECTORS["refused"]:
            with self.subTest(vector["name"]):
                outcome, problem = self.post(vector["body"])
                self.assertEqual(outcome, reporter.REFUSED)
                self.assertRegex(problem, r"^HTTP 400 Invalid job report: ")
                self.assertIn(f"{vector['field']} ", problem)


if __name__ == "__main__":
    unittest.main()
