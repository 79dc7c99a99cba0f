import { Route, Routes, useParams } from 'react-router-dom';
import { Content, Header, Page } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { monitorTranslationRef } from '../../translation';
import { JobDetailPage } from '../JobDetail';
import { JobsOverview } from '../JobsOverview';

/**
 * The 障害 page: the Python監視 section lists every job; `jobs/:jobKey`
 * shows one.
 */
export function MonitorPage() {
  const { t } = useTranslationRef(monitorTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <Content>
        <MonitorRoutes />
      </Content>
    </Page>
  );
}

/** A job's view, started afresh for each job (no state carried over). */
function JobDetail() {
  const { jobKey } = useParams();
  return <JobDetailPage key={jobKey} />;
}

/** The page's views, without the page around them. */
export function MonitorRoutes() {
  return (
    <Routes>
      <Route path="/" element={<JobsOverview />} />
      <Route path="/jobs/:jobKey" element={<JobDetail />} />
    </Routes>
  );
}
