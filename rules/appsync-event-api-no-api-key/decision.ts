/** The Event API decision and its fixes: pure, over EventApiFacts. */
import type { RemediationTarget, Verdict } from '../core/types';
import type { EventApiFacts, ModeList } from './facts';

/** Every reason code this decision gives (stable: users filter and dedupe on them, the docs list them). */
export const EVENT_API_CODES = [
  'event-api-key-connect',
  'event-api-key-publish',
  'event-api-key-subscribe',
  'event-api-key-namespace',
  'event-api-modes-unverified',
  'event-api-authenticated',
] as const;
export type EventApiCode = (typeof EVENT_API_CODES)[number];

/** The modes that make the caller prove who it is (AppSync's AuthenticationType, less API_KEY). */
export const AUTHENTICATED_TYPES = [
  'AWS_IAM',
  'AMAZON_COGNITO_USER_POOLS',
  'OPENID_CONNECT',
  'AWS_LAMBDA',
] as const;
const AUTHENTICATED = new Set<string>(AUTHENTICATED_TYPES);

/** Which list a mode list is, in the order the failure's code is chosen (the connection is the front door). */
type ListKind = 'connect' | 'publish' | 'subscribe' | 'namespace';

interface NamedList {
  readonly kind: ListKind;
  readonly where: string;
  readonly list: ModeList;
}

const KEY_CODE: Readonly<Record<ListKind, EventApiCode>> = {
  connect: 'event-api-key-connect',
  publish: 'event-api-key-publish',
  subscribe: 'event-api-key-subscribe',
  namespace: 'event-api-key-namespace',
};

/** Every mode list of the API with the words that name it: the API's three, then each namespace's overrides. */
function modeLists(facts: EventApiFacts): NamedList[] {
  const lists: NamedList[] = [
    { kind: 'connect', where: 'connection', list: facts.connectionAuthModes },
    { kind: 'publish', where: 'default publish', list: facts.defaultPublishAuthModes },
    { kind: 'subscribe', where: 'default subscribe', list: facts.defaultSubscribeAuthModes },
  ];
  for (const namespace of facts.namespaces) {
    const name = namespace.name.slice(0, 50);
    if (namespace.publishAuthModes !== 'inherited')
      lists.push({
        kind: 'namespace',
        where: `namespace "${name}" publish`,
        list: namespace.publishAuthModes,
      });
    if (namespace.subscribeAuthModes !== 'inherited')
      lists.push({
        kind: 'namespace',
        where: `namespace "${name}" subscribe`,
        list: namespace.subscribeAuthModes,
      });
  }
  return lists;
}

export const describeEventApi = (facts: EventApiFacts): string =>
  `Event API "${facts.apiName}" (${facts.apiId})`;

/** The verdict with its stable code (users filter and dedupe on it, not on the English annotation). */
function verdict(compliance: Verdict['compliance'], code: EventApiCode, annotation: string): Verdict {
  return { compliance, code, annotation };
}

export function evaluateEventApi(facts: EventApiFacts): Verdict {
  const api = describeEventApi(facts);
  const withKey: NamedList[] = [];
  const unverified: string[] = [];
  for (const named of modeLists(facts)) {
    const { where, list } = named;
    if (list === 'unreadable') {
      unverified.push(`${where} modes could not be read`);
      continue;
    }
    // AppSync requires the API's three lists; an empty one establishes nobody. An empty namespace override lets no
    // API_KEY in, whether AppSync reads it as "inherit" or as "nobody", so it is not a failure.
    if (list.length === 0 && named.kind !== 'namespace') unverified.push(`${where} lists no mode`);
    for (const type of list) {
      if (type === 'API_KEY') {
        if (!withKey.includes(named)) withKey.push(named);
      } else if (type === undefined) unverified.push(`a ${where} mode has no type`);
      else if (!AUTHENTICATED.has(type))
        unverified.push(`${where} mode "${type.slice(0, 30)}" is not recognised`);
    }
  }
  const [first] = withKey;
  if (first !== undefined) {
    return verdict(
      'NON_COMPLIANT',
      KEY_CODE[first.kind],
      `${api} accepts API keys (${withKey.map((named) => named.where).join(', ')}): anyone holding the key gets in. Use AWS_IAM, Cognito, OIDC or Lambda modes only, or document an exception tag.`,
    );
  }
  if (unverified.length > 0) {
    return verdict(
      'NON_COMPLIANT',
      'event-api-modes-unverified',
      `${api}: ${unverified.join('; ')}, so authentication is not verified. Set AWS_IAM, Cognito, OIDC or Lambda modes.`,
    );
  }
  return verdict(
    'COMPLIANT',
    'event-api-authenticated',
    `${api} authenticates every connection, publish and subscribe (no API_KEY mode).`,
  );
}

/** A word the shell passes through as is (Event API names may hold spaces). */
const shellWord = (text: string): string =>
  /^[A-Za-z0-9_./:=+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;

const hasKey = (list: ModeList | 'inherited'): boolean => Array.isArray(list) && list.includes('API_KEY');

export function eventApiRemediation(facts: EventApiFacts): string {
  const base = `aws appsync${facts.region === undefined ? '' : ` --region ${facts.region}`}`;
  const modes = '[{"authType":"AWS_IAM"}]';
  const namespaces = facts.namespaces
    .filter((namespace) => hasKey(namespace.publishAuthModes) || hasKey(namespace.subscribeAuthModes))
    .map(
      (namespace) =>
        ` && ${base} update-channel-namespace --api-id ${shellWord(facts.apiId)} --name ${shellWord(namespace.name)} --publish-auth-modes authType=AWS_IAM --subscribe-auth-modes authType=AWS_IAM`,
    )
    .join('');
  // update-api replaces the whole eventConfig: the command keeps only AWS_IAM, so other providers must be re-added.
  return (
    `${base} update-api --api-id ${shellWord(facts.apiId)} --name ${shellWord(facts.apiName)} --event-config ` +
    `'{"authProviders":${modes},"connectionAuthModes":${modes},"defaultPublishAuthModes":${modes},"defaultSubscribeAuthModes":${modes}}'` +
    `${namespaces}  # keep your Cognito/OIDC/Lambda providers: read them first with get-api`
  );
}

/** The fix from the API ARN (`arn:<partition>:appsync:<region>:<account>:apis/<apiId>`). */
export function eventApiRemediationHint(target: RemediationTarget): string {
  const apiId = /:apis\/([^/]+)$/.exec(target.resourceId)?.[1] ?? '<api-id>';
  const fix = eventApiRemediation({
    apiId,
    apiName: '<api-name>',
    apiArn: target.resourceId,
    connectionAuthModes: [],
    defaultPublishAuthModes: [],
    defaultSubscribeAuthModes: [],
    namespaces: [],
    region: target.region,
  });
  return `${fix}  # and for each namespace with API_KEY: aws appsync update-channel-namespace --region ${target.region} --api-id ${apiId} --name <namespace> --publish-auth-modes authType=AWS_IAM --subscribe-auth-modes authType=AWS_IAM`;
}
