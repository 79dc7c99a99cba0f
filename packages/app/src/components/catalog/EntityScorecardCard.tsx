import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
} from '@backstage/core-components';
import {
  discoveryApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { TechInsightsClient } from '@backstage-community/plugin-tech-insights-common/client';
import { List, ListItem, ListItemText } from '@material-ui/core';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';

/**
 * The entity's Tech Insights scorecard: the checks of app-config.yaml
 * (techInsights.factChecker.checks) run on its latest facts, among them
 * the monitor's facts of its jobs. Drawn here from Tech Insights' API;
 * a portal with Tech Insights' own frontend plugin uses its card instead.
 */
export function EntityScorecardCard() {
  const { entity } = useEntity();
  const discoveryApi = useApi(discoveryApiRef);
  const identityApi = useApi(identityApiRef);
  const client = useMemo(
    () => new TechInsightsClient({ discoveryApi, identityApi }),
    [discoveryApi, identityApi],
  );
  const { value, loading, error } = useAsync(
    () => client.runChecks(getCompoundEntityRef(entity)),
    [client, entity],
  );
  return (
    <InfoCard title="スコアカード" subheader="Tech Insights">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value?.length === 0 && (
        <ListItemText secondary="まだ事実が集まっていません" />
      )}
      {value && value.length > 0 && (
        <List dense aria-label="スコアカード">
          {value.map(({ check, result }) => (
            <ListItem key={check.id}>
              <ListItemText
                primary={
                  result ? (
                    <StatusOK>{check.name}</StatusOK>
                  ) : (
                    <StatusError>{check.name}</StatusError>
                  )
                }
                secondary={`${check.description} — ${
                  result ? '合格' : '不合格'
                }`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
