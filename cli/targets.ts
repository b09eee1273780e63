/**
 * Which accounts and regions a scan covers: the caller's account in the given (or default, or every enabled)
 * region, or every active account of the organization entered through a named role.
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListAccountsCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { assumeExecutionRole, clientSettings, partitionOfRegion } from '../rules/core/clients';
import { mapConcurrent } from '../rules/core/concurrency';
import { describeError } from '../rules/core/errors';
import type { ClientSettings } from '../rules/core/types';
import type { Unreadable } from './findings';
import { UsageError } from './io';
import type { ScanTarget } from './scan';

export interface TargetOptions {
  readonly regions: readonly string[];
  readonly allRegions: boolean;
  readonly profile?: string;
  readonly organization: boolean;
  readonly roleName?: string;
  readonly accountConcurrency?: number;
}

type Credentials = ClientSettings['credentials'];

function settings(region: string, profile: string | undefined, credentials: Credentials): ClientSettings {
  return {
    ...clientSettings(region, credentials),
    ...(profile === undefined || credentials !== undefined ? {} : { profile }),
  };
}

/** The SDK's own region resolution (AWS_REGION, profile), or a usage error saying what to pass. */
export async function defaultRegion(profile: string | undefined): Promise<string> {
  const client = new STSClient(profile === undefined ? {} : { profile });
  try {
    return await client.config.region();
  } catch {
    throw new UsageError('no region: pass --region, --all-regions, or set AWS_REGION / a profile region');
  }
}

export async function enabledRegions(
  region: string,
  profile: string | undefined,
  credentials: Credentials,
): Promise<string[]> {
  const client = new EC2Client(settings(region, profile, credentials));
  const response = await client.send(new DescribeRegionsCommand({}));
  return (response.Regions ?? [])
    .map((r) => r.RegionName)
    .filter((name): name is string => name !== undefined)
    .sort();
}

async function callerAccount(
  region: string,
  profile: string | undefined,
  credentials: Credentials,
): Promise<string> {
  const identity = await new STSClient(settings(region, profile, credentials)).send(
    new GetCallerIdentityCommand({}),
  );
  if (identity.Account === undefined) throw new Error('GetCallerIdentity returned no account');
  return identity.Account;
}

export async function organizationAccounts(region: string, profile: string | undefined): Promise<Account[]> {
  const client = new OrganizationsClient(settings(region, profile, undefined));
  const accounts: Account[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListAccountsCommand(token === undefined ? {} : { NextToken: token }));
    accounts.push(...(page.Accounts ?? []));
    token = page.NextToken || undefined;
  } while (token !== undefined);
  return accounts.filter((account) => account.Status === undefined || account.Status === 'ACTIVE');
}

export async function resolveTargets(
  options: TargetOptions,
): Promise<{ targets: ScanTarget[]; unreadable: Unreadable[] }> {
  const home = options.regions[0] ?? (await defaultRegion(options.profile));
  const profile = options.profile;
  const regionsFor = async (credentials: Credentials): Promise<string[]> =>
    options.allRegions
      ? enabledRegions(home, profile, credentials)
      : options.regions.length > 0
        ? [...options.regions]
        : [home];
  const withProfile = (target: Omit<ScanTarget, 'profile'>): ScanTarget =>
    profile === undefined ? target : { ...target, profile };

  if (!options.organization) {
    const accountId = await callerAccount(home, profile, undefined);
    const regions = await regionsFor(undefined);
    return { targets: regions.map((region) => withProfile({ accountId, region })), unreadable: [] };
  }
  if (options.roleName === undefined)
    throw new UsageError('--organization needs --role-name NAME (the role to enter each account)');
  const roleName = options.roleName;
  const accounts = await organizationAccounts(home, profile);
  const sts = new STSClient(settings(home, profile, undefined));
  const unreadable: Unreadable[] = [];
  const perAccount = await mapConcurrent(accounts, options.accountConcurrency ?? 4, async (account) => {
    const accountId = account.Id ?? 'unknown';
    try {
      const credentials = await assumeExecutionRole(sts, {
        partition: partitionOfRegion(home),
        accountId,
        roleName,
        sessionName: 'authn-pack-scan',
      });
      const regions = await regionsFor(credentials);
      return regions.map((region): ScanTarget => ({ accountId, region, credentials }));
    } catch (error) {
      unreadable.push({
        scope: `account ${accountId} (${account.Name ?? 'unnamed'})`,
        accountId,
        error: describeError(error),
      });
      return [];
    }
  });
  return { targets: perAccount.flat(), unreadable };
}
