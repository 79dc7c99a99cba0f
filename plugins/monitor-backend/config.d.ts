export interface Config {
  /** Configuration of the job monitor (`@tc-portal/plugin-monitor-backend`). */
  monitor?: {
    /**
     * The shared secret every job report must carry in the
     * `X-TC-Portal-Webhook-Secret` header. While it is not set the webhook
     * refuses every report (it never runs open).
     *
     * @visibility secret
     */
    webhookSecret?: string;
  };
}
