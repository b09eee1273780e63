/** What the GraphQL API decision and every adapter (Config item, sweep, template) know about one API. */
export const APPSYNC_AUTH_TYPES = [
  'API_KEY',
  'AWS_LAMBDA',
  'AWS_IAM',
  'OPENID_CONNECT',
  'AMAZON_COGNITO_USER_POOLS',
] as const;
export type AppSyncAuthType = (typeof APPSYNC_AUTH_TYPES)[number];

export interface GraphqlApiFacts {
  readonly apiId: string | undefined;
  readonly name: string;
  /** Primary mode; undefined when it could not be read. */
  readonly authenticationType: string | undefined;
  /** Additional modes; an entry is undefined when that provider names no type. */
  readonly additionalAuthenticationTypes: readonly (string | undefined)[];
  readonly region: string | undefined;
}
