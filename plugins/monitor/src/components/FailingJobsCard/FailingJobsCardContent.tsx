import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Box, List, Typography } from '@material-ui/core';
import { monitorApiRef } from '../../api';
import { useLiveRead } from '../../hooks/useLiveRead';
import { useReasonText } from '../../hooks/useReasonText';
import { rootRouteRef } from '../../routes';
import { monitorTranslationRef } from '../../translation';
import { DateTimeText } from '../common/DateTimeText';
import { JobListItem } from '../common/JobListItem';
import { attentionListLink } from '../common/listLink';

/** How many of the jobs the card names. */
const SHOWN = 5;

/**
 * The home page card's content: how many jobs need attention (the sidebar
 * badge's count), the first few of them, most urgent first, and a link to
 * the page's list of them all. It follows the jobs live, as the badge does.
 */
export function FailingJobsCardContent() {
  const api = useApi(monitorApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const rootLink = useRouteRef(rootRouteRef);
  const reasonText = useReasonText();

  // The badge's own list: its total is the badge's count.
  const state = useLiveRead(async () => {
    const page = await api.listJobs({
      attention: true,
      sort: 'health',
      limit: SHOWN,
    });
    return { count: page.totalCount, jobs: page.items, version: page.version };
  }, [api]);

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
        <Link to={attentionListLink(rootLink())}>{t('homeCard.viewAll')}</Link>
      </Box>
    </>
  );
}
