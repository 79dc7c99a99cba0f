import { Config } from '@backstage/config';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The secrets the webhook accepts, read from config at each call so that a
 * changed secret takes effect without a restart.
 */
export function readWebhookSecrets(config: Config): string[] {
  // Read loosely: an empty value (say, from an environment variable set to
  // nothing) means "not configured", and the webhook stays closed.
  const secret = config.getOptional('monitor.webhookSecret');
  return typeof secret === 'string' && secret.trim() !== '' ? [secret] : [];
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
  const presentedDigest = digest(presented);
  let match = false;
  for (const secret of accepted) {
    // No early exit: every accepted secret is compared.
    match = timingSafeEqual(presentedDigest, digest(secret)) || match;
  }
  return match;
}
