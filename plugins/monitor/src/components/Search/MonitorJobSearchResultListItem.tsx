import { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import {
  Box,
  ListItem,
  ListItemIcon,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { MonitorJobSearchDocument } from '@tc-portal/plugin-monitor-common';
import { monitorTranslationRef } from '../../translation';
import { HealthChip } from '../common/HealthChip';

/**
 * Props of {@link MonitorJobSearchResultListItem}.
 *
 * @public
 */
export type MonitorJobSearchResultListItemProps = {
  icon?: ReactNode;
  result?: SearchDocument;
  highlight?: ResultHighlight;
  rank?: number;
};

/** A field of the document, with the search's highlight where it has one. */
function Highlighted(props: {
  field: keyof MonitorJobSearchDocument;
  document: MonitorJobSearchDocument;
  highlight?: ResultHighlight;
}) {
  const { field, document, highlight } = props;
  const fragment = highlight?.fields?.[field];
  return fragment ? (
    <HighlightedSearchResultText
      text={fragment}
      preTag={highlight.preTag}
      postTag={highlight.postTag}
    />
  ) : (
    <>{document[field]}</>
  );
}

/**
 * A monitored job among the portal's search results: its title linking to
 * its page, its health as the 障害 page shows it, its key, owner and latest
 * message.
 */
export function MonitorJobSearchResultListItem(
  props: MonitorJobSearchResultListItemProps,
) {
  const { t } = useTranslationRef(monitorTranslationRef);
  const document = props.result as MonitorJobSearchDocument | undefined;
  if (!document) {
    return null;
  }
  return (
    <ListItem alignItems="flex-start" divider data-testid="monitor-job-result">
      {props.icon && <ListItemIcon>{props.icon}</ListItemIcon>}
      <Box mr={2} mt={1} minWidth="7em">
        <HealthChip health={document.health} />
      </Box>
      <ListItemText
        primaryTypographyProps={{ variant: 'h6' }}
        primary={
          <Link noTrack to={document.location}>
            <Highlighted
              field="title"
              document={document}
              highlight={props.highlight}
            />
          </Link>
        }
        secondary={
          <>
            <Typography component="span" variant="body2" display="block">
              {document.jobKey}
              {document.owner &&
                ` · ${t('search.owner', { owner: document.owner })}`}
              {document.healthReason && ` · ${document.healthReason}`}
            </Typography>
            {document.message && (
              <Typography component="span" variant="body2" display="block">
                <Highlighted
                  field="message"
                  document={document}
                  highlight={props.highlight}
                />
              </Typography>
            )}
          </>
        }
      />
    </ListItem>
  );
}
