import {
  Content,
  ContentHeader,
  Header,
  Page,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { monitorTranslationRef } from '../../translation';
import { JobTable } from '../JobTable';

/**
 * The 障害 page: the Python監視 section lists every job.
 */
export function MonitorPage() {
  const { t } = useTranslationRef(monitorTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <Content>
        <ContentHeader title={t('pythonSection.title')} />
        <JobTable />
      </Content>
    </Page>
  );
}
