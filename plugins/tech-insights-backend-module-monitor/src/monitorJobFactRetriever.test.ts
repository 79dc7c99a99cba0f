import { monitorJobFacts } from './monitorJobFactRetriever';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('monitorJobFacts', () => {
  it('measures the longest failure, the success rate and the time to acknowledge', () => {
    expect(
      monitorJobFacts(
        {
          entityRef: 'component:default/shop',
          jobCount: 3,
          attentionCount: 1,
          failingCount: 2,
          failingSince: '2026-02-28T06:00:00Z',
          runs: { succeeded: 190, failed: 10 },
          acknowledgements: { count: 4, meanTimeToAcknowledgeMs: 45 * 60_000 },
        },
        NOW,
      ),
    ).toEqual({
      hasMonitoredJobs: true,
      monitoredJobs: 3,
      jobsNeedingAttention: 1,
      failingJobs: 2,
      longestFailureHours: 30,
      runs30Days: 200,
      successRate30Days: 95,
      acknowledgements30Days: 4,
      meanTimeToAcknowledgeMinutes: 45,
    });
  });

  it('says nothing failed where nothing was measured', () => {
    expect(monitorJobFacts(undefined, NOW)).toMatchObject({
      hasMonitoredJobs: false,
      longestFailureHours: 0,
      successRate30Days: 100,
      meanTimeToAcknowledgeMinutes: 0,
    });
  });
});
