/**
 * What the Event API decision and every adapter (sweep, template) know about one AppSync Event API: the
 * authorization types of each of its mode lists, as read. An entry without a type is undefined; a list that is
 * missing where AppSync requires one, or is not a list, is `unreadable`; a namespace list that is not set is
 * `inherited` (the API's default applies to that namespace).
 */
export type ModeList = readonly (string | undefined)[] | 'unreadable';

export interface NamespaceFacts {
  readonly name: string;
  readonly publishAuthModes: ModeList | 'inherited';
  readonly subscribeAuthModes: ModeList | 'inherited';
}

export interface EventApiFacts {
  readonly apiId: string;
  readonly apiName: string;
  readonly apiArn: string | undefined;
  readonly connectionAuthModes: ModeList;
  readonly defaultPublishAuthModes: ModeList;
  readonly defaultSubscribeAuthModes: ModeList;
  readonly namespaces: readonly NamespaceFacts[];
  readonly region: string | undefined;
}
