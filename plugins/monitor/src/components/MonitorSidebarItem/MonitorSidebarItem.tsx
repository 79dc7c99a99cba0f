import {
  ComponentProps,
  createContext,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { SidebarItem } from '@backstage/core-components';
import { IconComponent, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Badge } from '@material-ui/core';
import ReportProblemIcon from '@material-ui/icons/ReportProblem';
import { monitorApiRef } from '../../api';
import { useJobChanges } from '../../hooks/useJobChanges';
import { rootRouteRef } from '../../routes';
import { attentionListLink } from '../common/listLink';
import { monitorTranslationRef } from '../../translation';

type BadgeState = {
  icon: IconComponent;
  count: number;
  label: string;
};

const BadgeContext = createContext<BadgeState | undefined>(undefined);

function BadgedIcon(iconProps: ComponentProps<IconComponent>) {
  const { icon: Icon, count, label } = useContext(BadgeContext)!;
  return (
    <Badge
      badgeContent={count}
      max={99}
      color="error"
      overlap="rectangular"
      {...(count > 0
        ? { role: 'status', 'aria-label': label, title: label }
        : {})}
    >
      <Icon {...iconProps} />
    </Badge>
  );
}

/**
 * Props of {@link MonitorSidebarItem}.
 *
 * @public
 */
export type MonitorSidebarItemProps = {
  icon?: IconComponent;
  /**
   * How often the count is refreshed when the portal has no signals, in
   * milliseconds. With signals it follows every change as it happens.
   */
  pollIntervalMs?: number;
};

/**
 * The 障害 sidebar item: a red badge counts the failing jobs that are
 * neither acknowledged nor muted, and shows nothing while there are none.
 * It opens the page's list of those jobs.
 *
 * @public
 */
export function MonitorSidebarItem(props: MonitorSidebarItemProps) {
  const { icon = ReportProblemIcon, pollIntervalMs = 30_000 } = props;
  const api = useApi(monitorApiRef);
  // The badge opens the list of exactly the jobs it counts.
  const to = attentionListLink(useRouteRef(rootRouteRef)());
  const { t } = useTranslationRef(monitorTranslationRef);
  const [summary, setSummary] = useState({ attentionCount: 0, version: '' });
  const { attentionCount } = summary;

  // Live on the monitor's signal; polled when the portal has no signals.
  const changes = useJobChanges({
    pollIntervalMs,
    shownVersion: summary.version,
  });

  useEffect(() => {
    let active = true;
    api.getSummary().then(
      read => active && setSummary(read),
      // The badge is a hint: when the count cannot be read it keeps the
      // last one it had.
      () => {},
    );
    return () => {
      active = false;
    };
  }, [api, changes]);

  const label = t('sidebar.failingJobs', { n: String(attentionCount) });
  const badge = useMemo(
    () => ({ icon, count: attentionCount, label }),
    [icon, attentionCount, label],
  );
  // The badge sits on the icon, so it shows whether the sidebar is open or
  // collapsed to icons. The icon component stays the same; the count reaches
  // it through context, so a new count does not remount it.
  return (
    <BadgeContext.Provider value={badge}>
      <SidebarItem icon={BadgedIcon} to={to} text={t('sidebar.title')} />
    </BadgeContext.Provider>
  );
}
