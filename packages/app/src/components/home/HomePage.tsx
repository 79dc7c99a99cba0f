import { Content, Header, Page } from '@backstage/core-components';
import { Grid } from '@material-ui/core';
import { MonitorFailingJobsCard } from '@tc-portal/plugin-monitor';

/** The demo portal's home page: what needs attention first. */
export const HomePage = () => (
  <Page themeId="home">
    <Header title="TC Portal" />
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <MonitorFailingJobsCard />
        </Grid>
      </Grid>
    </Content>
  </Page>
);
