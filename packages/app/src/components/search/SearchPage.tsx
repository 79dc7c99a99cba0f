import { Content, Header, Page } from '@backstage/core-components';
import { SearchType } from '@backstage/plugin-search';
import {
  SearchBar,
  SearchPagination,
  SearchResult,
} from '@backstage/plugin-search-react';
import { Grid, Paper } from '@material-ui/core';
import ReportProblemIcon from '@material-ui/icons/ReportProblem';
import { MonitorJobSearchResultListItem } from '@tc-portal/plugin-monitor';

/** The portal's search over its jobs (the demo indexes nothing else). */
export const searchPage = (
  <Page themeId="home">
    <Header title="検索" />
    <Content>
      <Grid container direction="row">
        <Grid item xs={12}>
          <Paper>
            <SearchBar />
          </Paper>
        </Grid>
        <Grid item xs={3}>
          <SearchType.Accordion
            name="種類"
            defaultValue=""
            types={[
              {
                value: 'monitor-job',
                name: 'ジョブ',
                icon: <ReportProblemIcon />,
              },
            ]}
          />
        </Grid>
        <Grid item xs={9}>
          <SearchPagination />
          <SearchResult>
            <MonitorJobSearchResultListItem icon={<ReportProblemIcon />} />
          </SearchResult>
        </Grid>
      </Grid>
    </Content>
  </Page>
);
