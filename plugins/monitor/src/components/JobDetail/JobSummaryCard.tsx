import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import { Job } from '@tc-portal/plugin-monitor-common';
import { useFormatters } from '../../hooks/useFormatters';
import { useReasonText } from '../../hooks/useReasonText';
import { monitorTranslationRef } from '../../translation';
import { EntityRefs } from '../common/EntityRefs';
import { HealthChip } from '../common/HealthChip';
import { UpstreamMark } from '../common/UpstreamMark';
import { JobActions } from './JobActions';

function useScheduleText(job: Job): string {
  const { t } = useTranslationRef(monitorTranslationRef);
  const format = useFormatters();
  const schedule = job.schedule;
  if (!schedule) {
    return t('detail.noSchedule');
  }
  const rhythm = schedule.cron
    ? t('detail.cron', {
        cron: schedule.cron,
        timezone: schedule.timezone ?? '',
      })
    : t('detail.every', { every: format.isoDuration(schedule.every ?? '') });
  const source = {
    config: t('detail.scheduleFromConfig'),
    catalog: t('detail.scheduleFromCatalog'),
    report: t('detail.scheduleFromReport'),
  }[schedule.source];
  return `${rhythm} (${source})`;
}

/**
 * The job's health and why, its entity and owners, its schedule, and the
 * actions on it.
 */
export function JobSummaryCard(props: {
  job: Job;
  owners: string[] | null;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const { job } = props;
  const { t } = useTranslationRef(monitorTranslationRef);
  const format = useFormatters();
  const scheduleText = useScheduleText(job);
  const reasonText = useReasonText();
  const metadata: Record<string, any> = {
    [t('jobTable.columns.jobKey')]: job.jobKey,
    [t('detail.reason')]: reasonText(job.healthReasonDetail, job.healthReason),
    [t('detail.entity')]: job.entityRef ? (
      <>
        <EntityRefLink entityRef={job.entityRef} defaultKind="component" />
        {job.entitySource &&
          ` (${t(`detail.entitySource.${job.entitySource}`)})`}
      </>
    ) : (
      '—'
    ),
    [t('detail.owners')]: <EntityRefs refs={props.owners ?? []} />,
    [t('detail.schedule')]: scheduleText,
  };
  if (job.schedule) {
    metadata[t('detail.grace')] = format.isoDuration(job.schedule.grace);
    metadata[t('detail.maxRuntime')] = format.isoDuration(
      job.schedule.maxRuntime,
    );
    if (job.schedule.minRuntime) {
      metadata[t('detail.minRuntime')] = format.isoDuration(
        job.schedule.minRuntime,
      );
    }
  }
  metadata[t('detail.thresholds')] = t('detail.thresholdsText', {
    failure: String(job.failureThreshold),
    recovery: String(job.recoveryThreshold),
  });
  if (job.dependsOn.length) {
    metadata[t('detail.dependsOn')] = job.dependsOn.join(', ');
  }
  if (job.nextExpectedAt) {
    metadata[t('detail.nextExpected')] = format.dateTime(job.nextExpectedAt);
  }
  return (
    <InfoCard title={t('detail.health')}>
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 12 }}>
        <HealthChip health={job.health} />
        <Typography variant="body2" color="textSecondary">
          {t('detail.since', { time: format.dateTime(job.healthSince) })}
        </Typography>
      </Box>
      {job.upstream && (
        <Box mb={2}>
          <UpstreamMark upstream={job.upstream} />
          <Typography variant="body2" color="textSecondary">
            {t('upstream.explain', { title: job.upstream.title })}
          </Typography>
        </Box>
      )}
      {job.acknowledgement && (
        <Typography variant="body2" paragraph>
          {t('detail.acknowledgedBy', {
            by: job.acknowledgement.by,
            comment: job.acknowledgement.comment,
          })}
        </Typography>
      )}
      {job.mute && (
        <Typography variant="body2" paragraph>
          {t('detail.mutedUntil', {
            until: format.dateTime(job.mute.until),
            by: job.mute.by,
            reason: job.mute.reason,
          })}
        </Typography>
      )}
      {job.maintenance && (
        <Typography
          variant="body2"
          paragraph
          data-testid="monitor-in-maintenance"
        >
          {t('detail.inMaintenanceUntil', {
            until: format.dateTime(job.maintenance.until),
            reason: job.maintenance.reason,
          })}
        </Typography>
      )}
      <StructuredMetadataTable metadata={metadata} />
      <Box mt={2}>
        <JobActions
          job={job}
          owners={props.owners}
          onChanged={props.onChanged}
          onDeleted={props.onDeleted}
        />
      </Box>
    </InfoCard>
  );
}
