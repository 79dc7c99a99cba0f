import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Box, List, Typography } from '@material-ui/core';
import { FAILING_HEALTHS, Job } from '@tc-portal/plugin-monitor-common';
import useAsync from 'react-use/esm/useAsync';
import { monitorApiRef } from '../../api';
import { useJobChanges } from '../../hooks/useJobChanges';
import { useReasonText } from '../../hooks/useReasonText';
import { rootRouteRef } from '../../routes';
import { monitorTranslationRef } from '../../translation';
import { DateTimeText } from '../common/DateTimeText';
import { JobListItem } from '../common/JobListItem';

/** How many failing jobs the card names. */
const SHOWN = 5;

/** Failing jobs read to find the first few that nobody has taken up. */
const READ = 50;

const needsAttention = (job: Job) =>
  !job.acknowledgement &&
  !(job.mute && Date.parse(job.mute.until) > Date.now());

/**
 * The home page card's content: how many jobs fail with nobody on them (the
 * sidebar badge's count), the first few of them, most urgent first, and a
 * link to the page. It follows the jobs live, as the badge does.
 */
export function FailingJobsCardContent() {
  const api = useApi(monitorApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const rootLink = useRouteRef(rootRouteRef);
  const changes = useJobChanges();
  const reasonText = useReasonText();

  const state = useAsync(async () => {
    const [summary, failing] = await Promise.all([
      api.getSummary(),
      api.listJobs({
        health: [...FAILING_HEALTHS],
        sort: 'health',
        limit: READ,
      }),
    ]);
    return {
      count: summary.attentionCount,
      jobs: failing.items.filter(needsAttention).slice(0, SHOWN),
    };
  }, [api, changes]);

  if (state.error) {
    return <ResponseErrorPanel error={state.error} />;
  }
  if (!state.value) {
    return <Progress />;
  }
  const { count, jobs } = state.value;
  return (
    <>
      <Box display="flex" alignItems="baseline" mb={1} style={{ gap: 8 }}>
        <Typography
          variant="h3"
          component="span"
          color={count > 0 ? 'error' : 'textPrimary'}
          data-testid="monitor-attention-count"
        >
          {count}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {t('homeCard.countLabel')}
        </Typography>
      </Box>
      {jobs.length > 0 ? (
        <List dense disablePadding>
          {jobs.map(job => (
            <JobListItem
              key={job.jobKey}
              job={job}
              secondary={reasonText(job.healthReasonDetail, job.healthReason)}
              right={<DateTimeText iso={job.healthSince} />}
            />
          ))}
        </List>
      ) : (
        <Typography variant="body2">{t('homeCard.none')}</Typography>
      )}
      <Box mt={1}>
        <Link to={rootLink()}>{t('homeCard.viewAll')}</Link>
      </Box>
    </>
  );
}
