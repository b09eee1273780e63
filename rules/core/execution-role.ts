/**
 * Client settings for one invocation: the function's own credentials, or (organization deployments) those of the
 * `ExecutionRoleName` role in the evaluated account, assumed once and only when the first AWS call needs them, so a
 * change event in a dry run makes no AWS call at all.
 */
import type { STSClient } from '@aws-sdk/client-sts';
import { assumeExecutionRole, clientSettings } from './clients';
import { ExecutionRoleError, describeError } from './errors';
import type { ClientSettings } from './types';

export interface ExecutionRoleTarget {
  readonly ruleName: string;
  readonly control: string;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string | undefined;
  /** Absent: the function's own credentials. */
  readonly roleName: string | undefined;
}

export function lazyClientSettings(
  target: ExecutionRoleTarget,
  createStsClient: (settings: ClientSettings) => STSClient,
): () => Promise<ClientSettings> {
  const { region, roleName } = target;
  let credentials: Promise<ClientSettings['credentials']> | undefined;
  return async () => {
    credentials ??=
      roleName === undefined
        ? Promise.resolve(undefined)
        : assumeExecutionRole(createStsClient(clientSettings(region)), {
            partition: target.partition,
            accountId: target.accountId,
            roleName,
            sessionName: `authn-pack-${target.control}`,
          }).catch((error: unknown) => {
            // Every Config call needs these credentials too: say that nothing reached Config.
            throw new ExecutionRoleError(
              `${target.ruleName}: nothing was reported to Config: ${describeError(error)}`,
              {
                cause: error,
              },
            );
          });
    return clientSettings(region, await credentials);
  };
}
