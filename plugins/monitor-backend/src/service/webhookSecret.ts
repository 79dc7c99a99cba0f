import { Config } from '@backstage/config';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The usable secrets among config values, trimmed: HTTP drops whitespace
 * around header values, so a secret read with a trailing newline (say, from
 * a mounted file) must lose it too to ever match.
 */
function nonEmptyStrings(values: unknown[]): string[] {
  return values
    .filter((value): value is string => typeof value === 'string')
    .map(value => value.trim())
    .filter(value => value !== '');
}

/**
 * The secrets that authenticate reports of any job: `monitor.webhookSecret`
 * and `monitor.additionalWebhookSecrets` (for rotating a secret without
 * losing reports). Read at each call, so a changed secret takes effect
 * without a restart. An empty value (say, from an environment variable set to
 * nothing) counts as not configured.
 */
export function readWebhookSecrets(config: Config): string[] {
  const additional = config.getOptional('monitor.additionalWebhookSecrets');
  return nonEmptyStrings([
    config.getOptional('monitor.webhookSecret'),
    ...(Array.isArray(additional) ? additional : []),
  ]);
}

/**
 * The secret configured for one job (`monitor.jobs.<job_key>.webhookSecret`),
 * which authenticates that job's reports alone.
 */
export function readJobSecret(
  config: Config,
  jobKey: string,
): string | undefined {
  const jobs = config.getOptional('monitor.jobs');
  if (typeof jobs !== 'object' || jobs === null || Array.isArray(jobs)) {
    return undefined;
  }
  const job = (jobs as Record<string, unknown>)[jobKey];
  const secret =
    typeof job === 'object' && job !== null
      ? (job as Record<string, unknown>).webhookSecret
      : undefined;
  return nonEmptyStrings([secret])[0];
}

/** Whether any job has a secret of its own. */
export function hasJobSecrets(config: Config): boolean {
  const jobs = config.getOptional('monitor.jobs');
  if (typeof jobs !== 'object' || jobs === null || Array.isArray(jobs)) {
    return false;
  }
  return Object.keys(jobs).some(key => readJobSecret(config, key));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Whether the presented secret equals one of the accepted ones. Compares
 * fixed-length digests in constant time, so neither the content nor the
 * length of a secret leaks through timing.
 */
export function isAcceptedSecret(
  presented: string | undefined,
  accepted: string[],
): boolean {
  if (presented === undefined) {
    return false;
  }
  const presentedDigest = digest(presented.trim());
  let match = false;
  for (const secret of accepted) {
    // No early exit: every accepted secret is compared.
    match = timingSafeEqual(presentedDigest, digest(secret)) || match;
  }
  return match;
}
