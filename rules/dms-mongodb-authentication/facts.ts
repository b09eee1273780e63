/** What the endpoint decision and every adapter (Config item, sweep, template) know about one DMS endpoint. */
export interface EndpointFacts {
  readonly identifier: string;
  readonly arn: string | undefined;
  readonly engineName: string | undefined;
  readonly endpointType: string | undefined;
  readonly authType: string | undefined;
  readonly authMechanism: string | undefined;
  readonly region: string | undefined;
}
