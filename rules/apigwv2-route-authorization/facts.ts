/** What the route decision and every adapter (sweep, template) know about one route. */
export const AUTHORIZATION_TYPES = ['AWS_IAM', 'CUSTOM', 'JWT'] as const;
export type AuthorizationType = (typeof AUTHORIZATION_TYPES)[number];

/** What the decision needs to know about one route. */
export interface RouteFacts {
  readonly apiId: string;
  readonly apiName: string;
  /** `HTTP` or `WEBSOCKET`; anything else is judged as HTTP. */
  readonly protocolType: string | undefined;
  readonly routeId: string;
  readonly routeKey: string;
  /** As the API reports it; absent means NONE. */
  readonly authorizationType: string | undefined;
  /** WebSocket only: whether the API has a `$connect` route at all. */
  readonly apiHasConnectRoute: boolean;
  readonly region: string;
  /** False when the API's default execute-api endpoint is disabled (reachable only through a custom domain or VPC). */
  readonly executeApiEndpoint?: boolean;
}
