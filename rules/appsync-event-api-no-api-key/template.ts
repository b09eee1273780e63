/**
 * CloudFormation → Event API facts: `AWS::AppSync::Api` (`EventConfig`) with the `AWS::AppSync::ChannelNamespace`
 * resources whose `ApiId` points at it (`!GetAtt Api.ApiId`). A namespace whose API is not in the template is
 * reported on its own: an `API_KEY` in its own modes fails it; otherwise what its API's defaults are is not known.
 * SAM has no Event API resource (aws-sam-translator 1.110 passes `AWS::AppSync::Api` through), so a SAM template's
 * Event APIs are read here too.
 */
import { field } from '../core/facts';
import type { TemplateEvaluation, TemplateResource, TemplateView, Unverifiable } from '../core/template';
import type { TemplateAdapter } from '../core/types';
import type { EventApiFacts, ModeList, NamespaceFacts } from './facts';

const NAMESPACE_TYPE = 'AWS::AppSync::ChannelNamespace';

type Read<T> =
  | { readonly known: true; readonly value: T }
  | { readonly known: false; readonly unverifiable: Unverifiable };

/** A `[{AuthType}]` list; absent is `absent`; a value known only at deploy is said. */
function modes(view: TemplateView, value: unknown, property: string): Read<ModeList | 'absent'> {
  const located = view.locate(value);
  if (!located.known)
    return {
      known: false,
      unverifiable: { property, reason: `${property} is not known before deploy (${located.reason})` },
    };
  if (located.value === undefined || located.value === null) return { known: true, value: 'absent' };
  if (!Array.isArray(located.value)) return { known: true, value: 'unreadable' };
  const types: (string | undefined)[] = [];
  for (const entry of located.value) {
    const type = view.textAt(entry, ['AuthType'], `${property}.AuthType`);
    if (!type.known) return { known: false, unverifiable: { property: type.property, reason: type.reason } };
    types.push(type.value === '' ? undefined : type.value);
  }
  return { known: true, value: types };
}

const inherit = (list: ModeList | 'absent'): ModeList | 'inherited' =>
  list === 'absent' ? 'inherited' : list;

function namespaceOf(namespace: TemplateResource, view: TemplateView): Read<NamespaceFacts> {
  const name = view.text(namespace.properties.Name, 'Name');
  const publish = modes(view, namespace.properties.PublishAuthModes, 'PublishAuthModes');
  if (!publish.known) return publish;
  const subscribe = modes(view, namespace.properties.SubscribeAuthModes, 'SubscribeAuthModes');
  if (!subscribe.known) return subscribe;
  return {
    known: true,
    value: {
      name: name.known && name.value !== undefined ? name.value : namespace.logicalId,
      publishAuthModes: inherit(publish.value),
      subscribeAuthModes: inherit(subscribe.value),
    },
  };
}

function readApi(api: TemplateResource, view: TemplateView): TemplateEvaluation<EventApiFacts>[] {
  const base = view.subject(api, 'Name');
  const config = view.locate(api.properties.EventConfig);
  if (!config.known)
    return [
      {
        ...base,
        unverifiable: {
          property: 'EventConfig',
          reason: `EventConfig is not known before deploy (${config.reason})`,
        },
      },
    ];
  if (config.value === undefined || config.value === null)
    return [
      {
        ...base,
        unverifiable: {
          property: 'EventConfig',
          reason: 'EventConfig is missing, so the authorization modes AppSync applies are not known',
        },
        fix: 'set EventConfig with AuthProviders and ConnectionAuthModes, DefaultPublishAuthModes and DefaultSubscribeAuthModes of AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT or AWS_LAMBDA',
      },
    ];
  const lists: ModeList[] = [];
  for (const property of ['ConnectionAuthModes', 'DefaultPublishAuthModes', 'DefaultSubscribeAuthModes']) {
    const read = modes(view, field(config.value, property), `EventConfig.${property}`);
    if (!read.known) return [{ ...base, unverifiable: read.unverifiable }];
    // The three are required members of EventConfig: one left out is not known, not "no mode".
    lists.push(read.value === 'absent' ? 'unreadable' : read.value);
  }
  const namespaces: NamespaceFacts[] = [];
  for (const namespace of view.referencing(api.logicalId, NAMESPACE_TYPE, 'ApiId')) {
    const read = namespaceOf(namespace, view);
    if (!read.known)
      // The property is the namespace's, not the API's: the finding names no property of the API.
      return [
        {
          ...base,
          unverifiable: { reason: `channel namespace ${namespace.logicalId}: ${read.unverifiable.reason}` },
        },
      ];
    namespaces.push(read.value);
  }
  const [connection = 'unreadable', publish = 'unreadable', subscribe = 'unreadable'] = lists;
  return [
    {
      ...base,
      facts: {
        apiId: api.logicalId,
        apiName: base.resourceName,
        apiArn: undefined,
        connectionAuthModes: connection,
        defaultPublishAuthModes: publish,
        defaultSubscribeAuthModes: subscribe,
        namespaces,
        region: undefined,
      },
    },
  ];
}

/** A namespace of an Event API outside the template: its own modes are known, its API's defaults are not. */
function readOrphanNamespace(
  namespace: TemplateResource,
  view: TemplateView,
): TemplateEvaluation<EventApiFacts>[] {
  if (view.resourceOf(namespace.properties.ApiId)?.type === 'AWS::AppSync::Api') return [];
  const subject = view.subject(namespace, 'Name');
  const read = namespaceOf(namespace, view);
  if (!read.known) return [{ ...subject, unverifiable: read.unverifiable }];
  const own = [read.value.publishAuthModes, read.value.subscribeAuthModes];
  if (own.some((list) => Array.isArray(list) && list.includes('API_KEY'))) {
    const apiId = view.text(namespace.properties.ApiId, 'ApiId');
    const id = apiId.known && apiId.value !== undefined ? apiId.value : '<api-id>';
    // The API's own lists are not in this template; the namespace's API_KEY fails it whatever they are.
    return [
      {
        ...subject,
        facts: {
          apiId: id,
          apiName: `API of namespace ${subject.resourceName}`,
          apiArn: undefined,
          connectionAuthModes: [],
          defaultPublishAuthModes: [],
          defaultSubscribeAuthModes: [],
          namespaces: [read.value],
          region: undefined,
        },
      },
    ];
  }
  return [
    {
      ...subject,
      unverifiable: {
        reason:
          "the namespace's Event API is not in this template, so the default modes it inherits are not known",
      },
      fix: 'define the namespace with its AWS::AppSync::Api in one template, or set PublishAuthModes and SubscribeAuthModes without API_KEY',
    },
  ];
}

export const eventApiTemplate: TemplateAdapter<EventApiFacts> = {
  resourceTypes: ['AWS::AppSync::Api', NAMESPACE_TYPE],
  property: 'EventConfig',
  read: (resource, view) =>
    resource.type === NAMESPACE_TYPE ? readOrphanNamespace(resource, view) : readApi(resource, view),
  fix: () =>
    'remove API_KEY from EventConfig.ConnectionAuthModes, DefaultPublishAuthModes and DefaultSubscribeAuthModes and from every AWS::AppSync::ChannelNamespace PublishAuthModes/SubscribeAuthModes (use AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT or AWS_LAMBDA)',
};
