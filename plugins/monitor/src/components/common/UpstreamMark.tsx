import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Chip } from '@material-ui/core';
import CallSplitIcon from '@material-ui/icons/CallSplit';
import { Job } from '@tc-portal/plugin-monitor-common';
import { jobRouteRef } from '../../routes';
import { monitorTranslationRef } from '../../translation';

/**
 * The mark of a job failing because a job it depends on fails: that job,
 * linked. Nothing for a job on its own.
 */
export function UpstreamMark(props: { upstream: Job['upstream'] }) {
  const { t } = useTranslationRef(monitorTranslationRef);
  const jobLink = useRouteRef(jobRouteRef);
  const { upstream } = props;
  if (!upstream) {
    return null;
  }
  return (
    <Chip
      size="small"
      variant="outlined"
      icon={<CallSplitIcon />}
      data-upstream={upstream.jobKey}
      style={{ marginTop: 4, maxWidth: '100%' }}
      label={
        <Link
          to={jobLink({ jobKey: upstream.jobKey })}
          title={t('upstream.explain', { title: upstream.title })}
        >
          {t('upstream.mark', { title: upstream.title })}
        </Link>
      }
    />
  );
}
