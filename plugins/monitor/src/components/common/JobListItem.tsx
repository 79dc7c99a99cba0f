import { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box, ListItem, ListItemText } from '@material-ui/core';
import { Job } from '@tc-portal/plugin-monitor-common';
import { jobRouteRef } from '../../routes';
import { HealthChip } from './HealthChip';

/**
 * A job in a card's list: its health, its title linking to its page, a
 * line under the title, and something on the right (a time).
 */
export function JobListItem(props: {
  job: Job;
  secondary: ReactNode;
  right: ReactNode;
}) {
  const { job } = props;
  const jobLink = useRouteRef(jobRouteRef);
  return (
    <ListItem divider>
      <Box mr={2} minWidth="7em">
        <HealthChip health={job.health} />
      </Box>
      <ListItemText
        primary={<Link to={jobLink({ jobKey: job.jobKey })}>{job.title}</Link>}
        secondary={props.secondary}
      />
      <Box textAlign="right">{props.right}</Box>
    </ListItem>
  );
}
