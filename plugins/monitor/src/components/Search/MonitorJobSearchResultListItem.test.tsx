import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  MockSearchApi,
  SearchResult,
  searchApiRef,
} from '@backstage/plugin-search-react';
import { screen, within } from '@testing-library/react';
import { MonitorJobSearchDocument } from '@tc-portal/plugin-monitor-common';
import { MonitorJobSearchResultListItem } from '../../plugin';

const failing: MonitorJobSearchDocument = {
  title: '価格同期処理',
  text: 'daily-price-sync\nThe latest run failed\n価格フィードが空です',
  location: '/monitor/jobs/daily-price-sync',
  jobKey: 'daily-price-sync',
  health: 'error',
  healthReason: 'The latest run failed',
  owner: 'group:default/pricing',
  entityRef: 'component:default/price-service',
  message: '価格フィードが空です',
};

async function renderResults(results: object[]) {
  await renderInTestApp(
    <TestApiProvider
      apis={[[searchApiRef, new MockSearchApi({ results: results as any })]]}
    >
      <SearchResult query={{ term: '価格' }}>
        <MonitorJobSearchResultListItem />
      </SearchResult>
    </TestApiProvider>,
  );
}

describe('MonitorJobSearchResultListItem', () => {
  it('shows a job found by search with its health, as the page does, linking to its page', async () => {
    await renderResults([
      {
        type: 'monitor-job',
        document: failing,
        highlight: {
          preTag: '<em>',
          postTag: '</em>',
          fields: { title: '<em>価格</em>同期処理' },
        },
      },
    ]);
    const item = await screen.findByTestId('monitor-job-result');
    const chip = item.querySelector('[data-health]');
    expect(chip?.getAttribute('data-health')).toBe('error');
    expect(within(item).getByText('エラー')).toBeInTheDocument();
    const link = within(item).getByRole('link');
    expect(link).toHaveAttribute('href', '/monitor/jobs/daily-price-sync');
    expect(link).toHaveTextContent('価格同期処理');
    // The highlighted words are marked.
    expect(within(link).getByText('価格').tagName).toBe('MARK');
    expect(item).toHaveTextContent('daily-price-sync');
    expect(item).toHaveTextContent('担当: group:default/pricing');
    expect(item).toHaveTextContent('The latest run failed');
    expect(item).toHaveTextContent('価格フィードが空です');
  });

  it('leaves other types of result to their own items', async () => {
    await renderResults([
      {
        type: 'monitor-job',
        document: { ...failing, health: 'ok', healthReason: '' },
      },
      {
        type: 'software-catalog',
        document: { title: 'price-service', text: '', location: '/catalog' },
      },
    ]);
    expect(await screen.findAllByTestId('monitor-job-result')).toHaveLength(1);
    expect(screen.getByText('正常')).toBeInTheDocument();
  });
});
