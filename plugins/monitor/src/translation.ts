import {
  createTranslationRef,
  createTranslationResource,
} from '@backstage/core-plugin-api/alpha';
import {
  HEALTH_REASON_MESSAGES,
  HEALTH_WORDS,
} from '@tc-portal/plugin-monitor-common';

/**
 * The entity tab's title. The new frontend system's EntityContentBlueprint
 * takes a plain string in Backstage 1.55 (an app renames the tab by the
 * extension's `title` config), so alpha/plugin.tsx reads the default here.
 */
export const ENTITY_CONTENT_TITLE = 'ジョブ';

/**
 * The home page card's title: the card extensions of both frontend systems
 * take a plain string.
 */
export const HOME_CARD_TITLE = '対応が必要なジョブ';

/**
 * The monitor's labels. The defaults are Japanese, as the portal's users
 * read them; `monitorTranslations` adds English.
 *
 * @public
 */
export const monitorTranslationRef = createTranslationRef({
  id: 'plugin.monitor',
  messages: {
    /**
     * The locale of dates, times, durations and numbers: the one the labels
     * are shown in, so that a Japanese page says 「2 年前」, not "2 years ago",
     * whatever the browser's language.
     */
    format: {
      locale: 'ja',
    },
    sidebar: {
      title: '障害',
      failingJobs: '対応が必要なジョブ: {{n}} 件',
    },
    page: {
      title: '障害',
      subtitle: 'ジョブの実行結果と障害の状況',
    },
    pythonSection: {
      title: 'Python監視',
    },
    search: {
      owner: '担当: {{owner}}',
    },
    health: HEALTH_WORDS.ja,
    outcome: {
      running: '実行中',
      success: '成功',
      error: 'エラー',
      timeout: 'タイムアウト',
    },
    upstream: {
      mark: '上流: {{title}}',
      explain:
        '依存先のジョブ「{{title}}」の障害によるものとして、そちらで通知・集計しています。そのジョブが復旧しても失敗していれば、このジョブとして通知します。',
    },
    warning: {
      slow: '遅延',
      slowDetail:
        '{{duration}}: 通常の {{p95}} (p95、中央値は {{p50}}) の {{factor}} 倍を超えています',
      slowLatest: '直近の実行はいつもより大幅に遅く終わりました',
      early: '早すぎる実行',
      earlyDetail: '予定 {{slot}} より {{by}} 早く始まりました',
      earlyLatest: '直近の実行は予定より早く始まりました',
      duplicate: '重複実行',
      duplicateDetail:
        '予定 {{slot}} の回の 2 度目の実行です (二重に登録されていませんか)',
      duplicateLatest: '直近の実行は同じ回の 2 度目の実行でした',
    },
    reason: HEALTH_REASON_MESSAGES.ja,
    summary: {
      all: 'すべて',
      attention: '要対応',
      attentionTitle:
        '失敗していて、誰も確認もミュートもしていないジョブ (サイドバーのバッジの件数) だけを表示',
      count: '{{label}}: {{n}} 件',
      filterBy: '{{label}} のジョブだけを表示',
    },
    filters: {
      search: 'キーまたはタイトルで検索',
      owner: 'オーナー',
      anyOwner: 'すべてのオーナー',
      sort: '並び順',
      sortFinishedAt: '最終完了が新しい順',
      sortName: '名前順',
      sortHealth: '深刻な順',
    },
    jobTable: {
      columns: {
        health: 'ヘルス',
        title: 'タイトル',
        jobKey: 'ジョブキー',
        entity: 'エンティティ',
        finishedAt: '最終完了',
        duration: '所要時間',
        recent: '直近の実行',
        message: 'メッセージ',
      },
      showFullMessage: '全文を表示',
      showLessMessage: '折りたたむ',
      neverRan: '実行記録なし',
      acknowledged: '確認済み',
      muted: 'ミュート中',
      inMaintenance: 'メンテナンス中',
      recentOutcomes: '直近の実行 (新しい順): {{outcomes}}',
      noMatch: '条件に合うジョブはありません。',
    },
    empty: {
      title: 'まだジョブからの報告はありません',
      description:
        'スクリプトの最後で実行結果を報告すると、ここに一覧されます。報告の失敗がジョブを止めることはありません。',
      python: 'Python から報告する',
      curl: 'curl で試す',
    },
    detail: {
      back: '一覧へ戻る',
      health: 'ヘルス',
      since: '{{time}} から',
      reason: '理由',
      entity: 'エンティティ',
      schedule: 'スケジュール',
      every: '{{every}} ごと',
      cron: 'cron「{{cron}}」({{timezone}})',
      grace: '猶予',
      maxRuntime: '最大実行時間',
      minRuntime: '最短実行時間',
      thresholds: 'しきい値',
      dependsOn: '依存先のジョブ',
      thresholdsText:
        '{{failure}} 回連続の失敗で障害、{{recovery}} 回連続の成功で復旧',
      nextExpected: '次回の予定',
      noSchedule: 'スケジュールなし',
      scheduleFromConfig: '設定による',
      scheduleFromReport: '報告による',
      scheduleFromCatalog: 'エンティティのアノテーションによる',
      entitySource: {
        config: '設定による',
        catalog: 'カタログのアノテーションによる',
        report: '報告による',
      },
      owners: 'オーナー',
      noOwners: 'なし',
      runs: '実行履歴',
      chart: '所要時間と結果の推移',
      chartLabel: '直近 {{n}} 回の実行の所要時間と結果',
      baseline:
        '通常の所要時間 (中央値〜p95): {{p50}}〜{{p95}} (直近 {{runs}} 回の成功から)',
      healthChanges: 'ヘルスの変化',
      noHealthChanges: 'まだ変化はありません。',
      noRuns: 'まだ実行はありません。',
      notFound: 'ジョブ「{{jobKey}}」は見つかりません。',
      acknowledgedBy: '{{by}} が確認済み: {{comment}}',
      mutedUntil: '{{until}} までミュート中 ({{by}}: {{reason}})',
      inMaintenanceUntil: '{{until}} までメンテナンス中 ({{reason}})',
      maintenanceWindows: 'このジョブのメンテナンス期間',
      maintenanceWindow: '{{start}} 〜 {{end}}: {{reason}} ({{by}})',
      runColumns: {
        outcome: '結果',
        startedAt: '開始',
        finishedAt: '完了',
        duration: '所要時間',
        exitCode: '終了コード',
        host: 'ホスト',
        message: 'メッセージ',
      },
      changeColumns: {
        changedAt: '日時',
        change: '変化',
        reason: '理由',
      },
      attentionChanges: '確認・ミュート・メンテナンスの履歴',
      noAttentionChanges:
        'まだ誰も確認もミュートもメンテナンス期間の追加もしていません。',
      attentionColumns: {
        at: '日時',
        by: '実施者',
        kind: '操作',
        note: 'コメント・理由',
        until: '期限',
      },
      attentionKinds: {
        acknowledged: '確認済みにした',
        unacknowledged: '確認を取り消した',
        muted: 'ミュートした',
        unmuted: 'ミュートを解除した',
        'maintenance-added': 'メンテナンス期間を追加した',
        'maintenance-ended': 'メンテナンス期間を終えた',
      },
    },
    actions: {
      acknowledge: '確認済みにする',
      unacknowledge: '確認を取り消す',
      comment: 'コメント',
      mute: 'ミュート',
      unmute: 'ミュート解除',
      muteUntil: 'ミュート終了日時',
      muteReason: '理由',
      addMaintenance: 'メンテナンス期間を追加',
      maintenanceStart: '開始日時',
      maintenanceEnd: '終了日時',
      endMaintenance: 'メンテナンスを終える',
      delete: '削除',
      deleteConfirm:
        'ジョブ「{{jobKey}}」とその履歴を削除します。元に戻せません。',
      cancel: 'キャンセル',
      submit: 'OK',
      failed: '操作できませんでした: {{message}}',
      notAllowed:
        'あなたにはこのジョブを確認済みにしたりミュートしたりする権限がありません。対応できるのはオーナーです:',
      notAllowedOwnersUnknown:
        'あなたにはこのジョブを確認済みにしたりミュートしたりする権限がありません (オーナーはカタログから読めませんでした)。',
      notAllowedOwnerless:
        'あなたにはこのジョブを確認済みにしたりミュートしたりする権限がありません。エンティティ {{entity}} にはカタログ上のオーナーがいない (またはカタログにない) ため、オーナー方針のポータルでは誰も対応できません。',
      notAllowedUnlinked:
        'あなたにはこのジョブを確認済みにしたりミュートしたりする権限がありません。このジョブはどのエンティティにも紐づいておらず、既定のオーナー (monitor.defaultOwner) も設定されていないため、オーナー方針のポータルでは誰も対応できません。',
    },
    entity: {
      cardTitle: 'ジョブ監視',
      contentTitle: ENTITY_CONTENT_TITLE,
      noJobs: 'このエンティティに紐づくジョブはまだ報告していません。',
      viewAll: '障害ページで見る',
      dependencies: 'ジョブの依存関係',
      notReported: '未報告',
      dependenciesHelp:
        '上流 (このエンティティのジョブが依存するジョブ) から下流へ。色は各ジョブの状態です。',
    },
    homeCard: {
      title: HOME_CARD_TITLE,
      countLabel: '件が失敗したまま、誰も対応していません',
      none: '対応が必要なジョブはありません。',
      viewAll: '対応が必要なジョブをすべて見る',
    },
  },
});

/**
 * English labels for the monitor. Add it to the app's translations to offer
 * English beside the Japanese defaults.
 *
 * @public
 */
export const monitorTranslations = createTranslationResource({
  ref: monitorTranslationRef,
  translations: {
    en: () => import('./translations/en'),
  },
});
