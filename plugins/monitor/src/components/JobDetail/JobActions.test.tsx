import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { InMemoryMonitorApi } from '../../__testUtils__/fakeMonitorApi';
import { renderMonitor } from '../../__testUtils__/renderMonitor';
import { detailPath, failingJobApi } from '../../__testUtils__/failingJob';

// Its own file: permission answers are cached per module, and the page's
// other tests deny them.

// Three dialogs in one walk through the page: more than Jest's default 5 s
// when the machine is busy with the other suites.
jest.setTimeout(60_000);

/** Opens the job's page with every action allowed, and acknowledges it. */
async function acknowledgeOnThePage(api: InMemoryMonitorApi) {
  await renderMonitor(api, undefined, { path: detailPath, allow: true });
  fireEvent.click(
    await screen.findByRole('button', { name: '確認済みにする' }),
  );
  fireEvent.change(screen.getByLabelText('コメント'), {
    target: { value: '調査中' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'OK' }));
}

describe('job actions', () => {
  it('acknowledges, mutes and deletes for a user with the permissions', async () => {
    const api = failingJobApi();
    await acknowledgeOnThePage(api);
    expect(
      await screen.findByText('user:default/guest が確認済み: 調査中'),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    fireEvent.click(screen.getByRole('button', { name: 'ミュート' }));
    fireEvent.change(screen.getByLabelText('理由'), {
      target: { value: 'メンテナンス' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'ミュート解除' }),
      ).toBeInTheDocument(),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    fireEvent.click(screen.getByRole('button', { name: '削除' }));
    const dialog = screen.getByRole('dialog');
    expect(
      within(dialog).getByText(
        /ジョブ「nightly-export」とその履歴を削除します/,
      ),
    ).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: '削除' }));
    await waitFor(() =>
      expect(api.actions).toEqual([
        'acknowledge nightly-export: 調査中',
        expect.stringMatching(/^mute nightly-export until .*: メンテナンス$/),
        'delete nightly-export',
      ]),
    );
    // Back on the list, where the job is gone.
    expect(await screen.findByText('Python監視')).toBeInTheDocument();
  });

  it('adds a maintenance window from now, shows the job in maintenance, and ends it', async () => {
    const api = failingJobApi();
    await renderMonitor(api, undefined, { path: detailPath, allow: true });
    fireEvent.click(
      await screen.findByRole('button', { name: 'メンテナンス期間を追加' }),
    );
    const dialog = screen.getByRole('dialog');
    // Nothing to send without a reason.
    expect(within(dialog).getByRole('button', { name: 'OK' })).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('理由'), {
      target: { value: '切り替え' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'OK' }));

    expect(
      await screen.findByText(/までメンテナンス中 \(切り替え\)/),
    ).toBeInTheDocument();
    const windows = screen.getByTestId('monitor-maintenance-windows');
    expect(
      within(windows).getByText(/: 切り替え \(user:default\/guest\)$/),
    ).toBeInTheDocument();
    fireEvent.click(
      within(windows).getByRole('button', { name: 'メンテナンスを終える' }),
    );
    await waitFor(() =>
      expect(screen.queryByTestId('monitor-maintenance-windows')).toBeNull(),
    );
    expect(screen.queryByText(/までメンテナンス中/)).toBeNull();
    // From now (no start sent) to two hours later, then ended.
    expect(api.actions).toEqual([
      expect.stringMatching(/^maintenance nightly-export now to .*: 切り替え$/),
      'end maintenance nightly-export w1',
    ]);
    const end = Date.parse(/ to (\S+): /.exec(api.actions[0])![1]);
    expect(end - Date.now()).toBeGreaterThan(110 * 60_000);
  });

  it('runs one action at a time: while one is under way, Delete waits too', async () => {
    const api = failingJobApi();
    let finish: () => void = () => {};
    jest
      .spyOn(api, 'acknowledge')
      .mockImplementation(
        () => new Promise<any>(resolve => (finish = () => resolve({}))),
      );
    await acknowledgeOnThePage(api);

    // Behind the open dialog (hidden from the accessibility tree).
    const deleteButton = () =>
      screen.getByRole('button', { name: '削除', hidden: true });
    await waitFor(() => expect(deleteButton()).toBeDisabled());
    expect(screen.getByRole('button', { name: 'OK' })).toBeDisabled();

    finish();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(deleteButton()).toBeEnabled();
  });
});
