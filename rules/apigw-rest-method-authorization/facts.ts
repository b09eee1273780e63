/** What the REST method decision and every adapter (sweep, template) know about one API Gateway REST API method. */
export interface MethodFacts {
  readonly apiId: string;
  readonly apiName: string;
  /** The API Gateway resource (path) id the method is on. */
  readonly resourceId: string;
  /** The resource's full path, e.g. `/orders/{id}`. */
  readonly path: string;
  /** `GET`, `POST`, …, `ANY`. */
  readonly httpMethod: string;
  /** As API Gateway reports it; absent means NONE. */
  readonly authorizationType: string | undefined;
  readonly apiKeyRequired: boolean;
  /**
   * The API's endpoint types (`EDGE`, `REGIONAL`, `PRIVATE`); empty when not known. Only an API that is PRIVATE alone
   * is unreachable from the internet.
   */
  readonly endpointTypes: readonly string[];
  readonly region: string | undefined;
}
