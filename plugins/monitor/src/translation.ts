import { createTranslationRef } from '@backstage/core-plugin-api/alpha';

/**
 * The monitor's labels. The defaults are Japanese, as the portal's users
 * read them.
 *
 * @public
 */
export const monitorTranslationRef = createTranslationRef({
  id: 'plugin.monitor',
  messages: {
    sidebar: {
      title: '障害',
      failingJobs: '失敗中のジョブ: {{count}} 件',
    },
    page: {
      title: '障害',
      subtitle: 'ジョブの実行結果と障害の状況',
    },
    pythonSection: {
      title: 'Python監視',
      empty: 'まだジョブからの報告はありません。',
    },
    jobTable: {
      columns: {
        status: 'ステータス',
        title: 'タイトル',
        jobKey: 'ジョブキー',
        finishedAt: '完了日時',
        message: 'メッセージ',
      },
    },
    status: {
      success: '成功',
      error: 'エラー',
      timeout: 'タイムアウト',
    },
  },
});
