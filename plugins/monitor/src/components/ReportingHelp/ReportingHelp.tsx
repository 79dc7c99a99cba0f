import { CodeSnippet, EmptyState } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Box, Typography } from '@material-ui/core';
import {
  curlReportSnippet,
  pythonReporterSnippet,
} from '@tc-portal/plugin-monitor-common';
import useAsync from 'react-use/esm/useAsync';
import { monitorApiRef } from '../../api';
import { monitorTranslationRef } from '../../translation';

/**
 * What to show before any job has reported: how to report, from Python and
 * with curl, filled in with this portal's webhook.
 */
export function ReportingHelp(props: { jobKey?: string; title?: string }) {
  const api = useApi(monitorApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const { value: url } = useAsync(() => api.getWebhookUrl(), [api]);
  const settings = {
    url: url ?? '',
    jobKey: props.jobKey ?? 'daily-price-sync',
    title: props.title ?? '価格同期処理',
  };
  return (
    <EmptyState
      missing="data"
      title={t('empty.title')}
      description={t('empty.description')}
      action={
        url ? (
          <Box maxWidth={760}>
            <Typography variant="h6" component="h3">
              {t('empty.python')}
            </Typography>
            <CodeSnippet
              language="python"
              text={pythonReporterSnippet(settings)}
              showCopyCodeButton
            />
            <Typography variant="h6" component="h3" style={{ marginTop: 16 }}>
              {t('empty.curl')}
            </Typography>
            <CodeSnippet
              language="bash"
              text={curlReportSnippet(settings)}
              showCopyCodeButton
            />
          </Box>
        ) : undefined
      }
    />
  );
}
