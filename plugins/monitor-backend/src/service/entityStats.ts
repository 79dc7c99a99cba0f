import {
  EntityStats,
  isFailingHealth,
  needsAttention,
} from '@tc-portal/plugin-monitor-common';
import { EntityStatsFacts } from '../database/entityStats';

/** Run statuses that are a failure: an error, or a run that timed out. */
const FAILED_RUNS = new Set(['error', 'timeout']);

/**
 * Each entity's stats at `now`, from what was loaded: its jobs' health
 * now (attention by the common rule), and the runs and acknowledgements
 * since the time they were loaded from. Entities in the order of their
 * references.
 */
export function entityStatsOf(
  facts: EntityStatsFacts,
  now: Date,
): EntityStats[] {
  const stats = new Map<string, EntityStats>();
  const of = (entityRef: string) => {
    let entity = stats.get(entityRef);
    if (!entity) {
      entity = {
        entityRef,
        jobCount: 0,
        attentionCount: 0,
        failingCount: 0,
        failingSince: null,
        runs: { succeeded: 0, failed: 0 },
        acknowledgements: { count: 0, meanTimeToAcknowledgeMs: null },
      };
      stats.set(entityRef, entity);
    }
    return entity;
  };
  for (const job of facts.jobs) {
    if (!job.entityRef) continue;
    const entity = of(job.entityRef);
    entity.jobCount += 1;
    if (needsAttention(job, now)) {
      entity.attentionCount += 1;
    }
    if (isFailingHealth(job.health)) {
      entity.failingCount += 1;
      const since = job.healthSince.toISOString();
      if (!entity.failingSince || since < entity.failingSince) {
        entity.failingSince = since;
      }
    }
  }
  for (const { entityRef, status, count } of facts.runs) {
    if (status === 'success') {
      of(entityRef).runs.succeeded += count;
    } else if (FAILED_RUNS.has(status)) {
      of(entityRef).runs.failed += count;
    }
  }
  // Per entity, the time from failing to acknowledged, summed, and how many.
  const waits = new Map<string, { total: number; timed: number }>();
  for (const { entityRef, at, failingSince } of facts.acknowledgements) {
    of(entityRef).acknowledgements.count += 1;
    if (failingSince) {
      const wait = waits.get(entityRef) ?? { total: 0, timed: 0 };
      wait.total += Math.max(0, at.getTime() - failingSince.getTime());
      wait.timed += 1;
      waits.set(entityRef, wait);
    }
  }
  for (const [entityRef, { total, timed }] of waits) {
    of(entityRef).acknowledgements.meanTimeToAcknowledgeMs = Math.round(
      total / timed,
    );
  }
  // In code-point order, the same on every machine.
  return [...stats.values()].sort(
    (a, b) =>
      Number(a.entityRef > b.entityRef) - Number(a.entityRef < b.entityRef),
  );
}
