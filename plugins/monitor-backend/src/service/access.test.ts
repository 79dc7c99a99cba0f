import { mockCredentials } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JobAccess } from './access';

/** A policy whose answer the test sets, counting how often it is asked. */
function policy() {
  let result: AuthorizeResult = AuthorizeResult.ALLOW;
  const authorize = jest.fn(async (requests: unknown[]) =>
    requests.map(() => ({ result })),
  );
  return {
    permissions: { authorize } as unknown as PermissionsService,
    authorize,
    answer: (next: AuthorizeResult) => {
      result = next;
    },
  };
}

describe('JobAccess.read', () => {
  it('asks the policy once per caller every 10 seconds, and never remembers a refusal', async () => {
    const { permissions, authorize, answer } = policy();
    let now = 0;
    const access = new JobAccess(permissions, () => now);
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');

    await access.read(alice);
    now = 9_999;
    await access.read(alice);
    expect(authorize).toHaveBeenCalledTimes(1);
    // Another caller is asked for.
    await access.read(bob);
    expect(authorize).toHaveBeenCalledTimes(2);
    // After 10 seconds, asked again: a policy that stopped allowing is
    // followed from then on.
    now = 10_001;
    answer(AuthorizeResult.DENY);
    await expect(access.read(alice)).rejects.toThrow(
      'Not allowed: monitor.job.read is needed to do this',
    );
    await expect(access.read(alice)).rejects.toThrow('Not allowed');
    expect(authorize).toHaveBeenCalledTimes(4);
    answer(AuthorizeResult.ALLOW);
    await access.read(alice);
    await access.read(alice);
    expect(authorize).toHaveBeenCalledTimes(5);
    // A service is a caller of its own.
    await access.read(mockCredentials.service('plugin:catalog'));
    expect(authorize).toHaveBeenCalledTimes(6);
  });
});
