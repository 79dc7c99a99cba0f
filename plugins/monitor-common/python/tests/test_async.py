"""monitor() on coroutines: `@monitor` on an async def and `async with`,
reporting without holding up the event loop, against a real backend."""

from __future__ import annotations

import asyncio
import time
import unittest

import portal
import tc_portal_monitor as reporter
from support import ReporterTestCase


class AsyncMonitorTest(ReporterTestCase):
    def test_a_decorated_coroutine_returns_its_value_and_reports_its_run(self) -> None:
        @reporter.monitor(schedule={"every": "PT1H"})
        async def sync_prices(count: int) -> int:
            await asyncio.sleep(0.05)
            return count

        self.assertTrue(asyncio.iscoroutinefunction(sync_prices))
        self.assertEqual(sync_prices.__name__, "sync_prices")
        self.assertEqual(asyncio.run(sync_prices(3)), 3)
        [run] = self.runs()
        self.assertEqual((run["status"], run["exitCode"]), ("success", 0))
        self.assertGreaterEqual(run["durationMs"], 50)
        self.assertIsNotNone(run["startedAt"])

    def test_a_coroutine_s_exception_passes_through_with_its_traceback_reported(self) -> None:
        error = ValueError("価格フィードが空です")

        @reporter.monitor()
        async def sync_prices() -> None:
            await asyncio.sleep(0)
            raise error

        with self.assertRaises(ValueError) as raised:
            asyncio.run(sync_prices())

        self.assertIs(raised.exception, error)
        [run] = self.runs()
        self.assertEqual(run["status"], "error")
        self.assertTrue(run["message"].endswith("ValueError: 価格フィードが空です\n"))

    def test_async_with_reports_a_run_with_its_message(self) -> None:
        async def job() -> str:
            async with reporter.monitor(self.job_key, "Python reporter test") as run:
                await asyncio.sleep(0.01)
                run.message = "3 件を同期しました"
            return run.run_id

        run_id = asyncio.run(job())
        [stored] = self.runs()
        self.assertEqual(stored["runId"], run_id)
        self.assertEqual(stored["message"], "3 件を同期しました")

    def test_two_tasks_of_one_decorated_coroutine_are_two_runs(self) -> None:
        @reporter.monitor()
        async def job(n: int) -> int:
            await asyncio.sleep(0.05)
            return n

        async def both() -> list:
            return list(await asyncio.gather(job(1), job(2)))

        self.assertEqual(asyncio.run(both()), [1, 2])
        runs = self.runs()
        self.assertEqual(len(runs), 2)
        self.assertEqual({r["status"] for r in runs}, {"success"})

    def test_the_event_loop_goes_on_while_a_report_travels(self) -> None:
        proxy = portal.FaultProxy(self.portal.base)
        self.addCleanup(proxy.close)
        self.set_env(TC_PORTAL_MONITOR_URL=proxy.report_url)
        # The portal answers the start after 1.5 s, and the finish after 1.5 s.
        proxy.faults += [("pause", 1.5), ("pause", 1.5)]

        async def job() -> tuple:
            ticks = 0
            done = asyncio.Event()

            async def ticker() -> None:
                nonlocal ticks
                while not done.is_set():
                    ticks += 1
                    await asyncio.sleep(0.01)

            other = asyncio.ensure_future(ticker())
            await asyncio.sleep(0)
            before_start = ticks
            started = time.monotonic()
            async with reporter.monitor():
                during_start = ticks - before_start
            finish_took = time.monotonic() - started
            during_both = ticks - before_start
            done.set()
            await other
            return during_start, during_both, finish_took

        during_start, during_both, took = asyncio.run(job())

        self.assertGreaterEqual(took, 3.0)  # both reports were held up
        # Another task ran while each report was on its way; a blocking send
        # would have let it run at most once or twice.
        self.assertGreater(during_start, 10)
        self.assertGreater(during_both, during_start + 10)
        self.assertEqual([r["status"] for r in self.runs()], ["success"])


if __name__ == "__main__":
    unittest.main()
