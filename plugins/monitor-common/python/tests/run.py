"""Runs the reporter's tests: `python3 run.py [--json RESULT_FILE]`.

They start the portal's backend from this repository with the Node.js on
PATH (scripts/toolchain.sh puts the project's there). The result file holds
the counts that scripts/test.sh adds up; a skipped test counts as failed.
"""

from __future__ import annotations

import json
import os
import sys
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TESTS)

import portal  # noqa: E402  (after the path is set)


def main(argv: list) -> int:
    suite = unittest.defaultTestLoader.discover(TESTS, pattern="test_*.py", top_level_dir=TESTS)
    print(f"Python {sys.version.split()[0]} ({sys.executable})", flush=True)
    try:
        result = unittest.TextTestRunner(verbosity=2).run(suite)
    finally:
        portal.stop_backend()
    failed = (
        len(result.failures)
        + len(result.errors)
        + len(result.skipped)
        + len(result.unexpectedSuccesses)
    )
    if "--json" in argv:
        with open(argv[argv.index("--json") + 1], "w", encoding="utf-8") as file:
            json.dump({"passed": result.testsRun - failed, "failed": failed}, file)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
