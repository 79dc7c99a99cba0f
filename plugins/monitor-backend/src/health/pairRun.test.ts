import { FinishReport, pairRun, StartReport, StoredRun } from './pairRun';

const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;

const start = (overrides: Partial<StartReport> = {}): StartReport => ({
  status: 'start',
  receivedAt: at('2026-01-10T10:00:00Z'),
  ...overrides,
});

const finish = (overrides: Partial<FinishReport> = {}): FinishReport => ({
  status: 'success',
  finishedAt: at('2026-01-10T10:05:00Z'),
  receivedAt: at('2026-01-10T10:05:00Z'),
  ...overrides,
});

const open = (overrides: Partial<StoredRun> = {}): StoredRun => ({
  id: 'run-1',
  status: 'running',
  startedAt: at('2026-01-10T10:00:00Z'),
  receivedAt: at('2026-01-10T10:00:00Z'),
  ...overrides,
});

describe('pairRun', () => {
  describe('a report of no stored run', () => {
    it('opens a run for a start, started when the portal got it unless it says', () => {
      expect(pairRun(start())).toEqual({
        kind: 'new',
        status: 'running',
        startedAt: at('2026-01-10T10:00:00Z'),
        finishedAt: null,
        durationMs: null,
      });
      expect(
        pairRun(start({ startedAt: at('2026-01-10T09:59:30Z') })),
      ).toMatchObject({ startedAt: at('2026-01-10T09:59:30Z') });
    });

    it('stores a finish on its own, with what it says of its length', () => {
      expect(pairRun(finish())).toEqual({
        kind: 'new',
        status: 'success',
        startedAt: null,
        finishedAt: at('2026-01-10T10:05:00Z'),
        durationMs: null,
      });
      expect(pairRun(finish({ durationMs: 2 * MINUTE }))).toMatchObject({
        startedAt: at('2026-01-10T10:03:00Z'),
        durationMs: 2 * MINUTE,
      });
      expect(
        pairRun(
          finish({ status: 'error', startedAt: at('2026-01-10T10:01:00Z') }),
        ),
      ).toMatchObject({ status: 'error', durationMs: 4 * MINUTE });
    });

    it('never gives a run a negative length', () => {
      expect(
        pairRun(finish({ startedAt: at('2026-01-10T11:00:00Z') })),
      ).toMatchObject({ durationMs: 0 });
    });
  });

  describe('a report of a stored run', () => {
    it('is a duplicate when it is a start, or the run has ended', () => {
      expect(pairRun(start(), open())).toEqual({
        kind: 'duplicate',
        id: 'run-1',
      });
      for (const status of ['success', 'error'] as const) {
        expect(pairRun(finish(), open({ status }))).toEqual({
          kind: 'duplicate',
          id: 'run-1',
        });
      }
    });

    it('closes an open run, or one that timed out meanwhile', () => {
      for (const status of ['running', 'timeout'] as const) {
        expect(pairRun(finish(), open({ status }))).toEqual({
          kind: 'close',
          id: 'run-1',
          status: 'success',
          startedAt: at('2026-01-10T10:00:00Z'),
          finishedAt: at('2026-01-10T10:05:00Z'),
          durationMs: 5 * MINUTE,
        });
      }
    });

    it("measures a start the portal stamped by the portal's clock, whatever the reporter's says", () => {
      // The reporter's clock is an hour slow: its finish claims 09:05.
      const decision = pairRun(
        finish({
          finishedAt: at('2026-01-10T09:05:00Z'),
          receivedAt: at('2026-01-10T10:05:00Z'),
        }),
        open(),
      );
      expect(decision).toEqual({
        kind: 'close',
        id: 'run-1',
        status: 'success',
        // Both ends in the reporter's clock, five minutes apart.
        startedAt: at('2026-01-10T09:00:00Z'),
        finishedAt: at('2026-01-10T09:05:00Z'),
        durationMs: 5 * MINUTE,
      });
    });

    it("measures a start the reporter timed by the reporter's clock", () => {
      const reported = open({
        startedAt: at('2026-01-10T08:58:00Z'),
        receivedAt: at('2026-01-10T10:00:00Z'),
      });
      expect(
        pairRun(
          finish({
            finishedAt: at('2026-01-10T09:03:00Z'),
            receivedAt: at('2026-01-10T10:05:00Z'),
          }),
          reported,
        ),
      ).toMatchObject({
        startedAt: at('2026-01-10T08:58:00Z'),
        durationMs: 5 * MINUTE,
      });
    });

    it('believes a finish that says its own start or length', () => {
      expect(
        pairRun(finish({ startedAt: at('2026-01-10T10:02:00Z') }), open()),
      ).toMatchObject({
        startedAt: at('2026-01-10T10:02:00Z'),
        durationMs: 3 * MINUTE,
      });
      expect(pairRun(finish({ durationMs: 1000 }), open())).toMatchObject({
        startedAt: at('2026-01-10T10:04:59Z'),
        durationMs: 1000,
      });
    });
  });
});
