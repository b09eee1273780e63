/**
 * Where a failing route of a SAM template is fixed, in the SAM properties its author wrote (not the CloudFormation
 * the transform makes of them, which a SAM author cannot edit). Property names from the AWS SAM Developer Guide:
 * HttpApiAuth (`Auth.Authorizers`, `Auth.DefaultAuthorizer`, `Auth.EnableIamAuthorizer`), HttpApiFunctionAuth (an
 * event's `Auth.Authorizer`, `NONE` to open one route under a default authorizer) and WebSocketApiAuth
 * (`Auth.AuthType` NONE, AWS_IAM or CUSTOM with `Auth.AuthArn`, which SAM puts on the `$connect` route).
 */
import type { RouteOrigin, SamSource, TemplateResource, TemplateView } from '../core/template';
import type { RouteFacts } from './facts';

/** What a SAM route's finding says and points at instead of the CloudFormation route's. */
export interface SamRouteFix {
  readonly fix: string;
  readonly logicalId: string;
  readonly property: string;
  readonly line?: number;
}

/** The authorizers an HTTP API route can name (`owner`: whose Auth.Authorizers). */
const authorizers = (owner: string): string =>
  `a JWT or Lambda authorizer of ${owner} Auth.Authorizers, or AWS_IAM with Auth.EnableIamAuthorizer: true`;

function httpApiOf(sam: SamSource): string {
  return sam.implicit === true
    ? `the ${sam.logicalId} SAM makes from HttpApi events`
    : `the AWS::Serverless::HttpApi ${sam.logicalId}`;
}

/** A route of an AWS::Serverless::HttpApi (or the implicit ServerlessHttpApi): from a function's event or DefinitionBody. */
export function samHttpRouteFix(
  api: TemplateResource,
  sam: SamSource,
  view: TemplateView,
  routeKey: string,
  origin: RouteOrigin | undefined,
): SamRouteFix | undefined {
  if (origin !== undefined) {
    const property = `Events.${origin.eventName ?? ''}.Properties.Auth.Authorizer`;
    const at = {
      logicalId: origin.logicalId,
      property,
      ...(origin.line === undefined ? {} : { line: origin.line }),
    };
    if (origin.authorizer === 'NONE') {
      return {
        ...at,
        fix: `remove Auth.Authorizer: NONE from ${origin.name} so the API's Auth.DefaultAuthorizer applies, or set it to ${authorizers("the API's")}`,
      };
    }
    const setting = view.samSetting(sam, 'Auth', 'DefaultAuthorizer');
    const where = setting.inGlobals
      ? `${setting.property} (it reaches ${httpApiOf(sam)})`
      : `Auth.DefaultAuthorizer on ${httpApiOf(sam)}`;
    return {
      ...at,
      fix: `set ${where} to ${authorizers('its')}, or the event's Auth.Authorizer for this route alone`,
    };
  }
  if (sam.implicit === true) return undefined;
  const definition =
    api.bodyProperty === 'DefinitionBody' ? 'DefinitionBody' : 'the definition DefinitionUri names';
  return {
    logicalId: sam.logicalId,
    property: api.bodyProperty ?? 'DefinitionUri',
    fix: `give ${routeKey} in ${definition} a security requirement naming ${authorizers("the API's")}; Auth.DefaultAuthorizer reaches only methods with an x-amazon-apigateway-integration and no security of their own`,
  };
}

/** A route of an AWS::Serverless::WebSocketApi: its authorization is the API's Auth, on `$connect`. */
export function samWebSocketRouteFix(
  route: TemplateResource,
  sam: SamSource,
  view: TemplateView,
  facts: RouteFacts,
): SamRouteFix {
  const api = `the AWS::Serverless::WebSocketApi ${sam.logicalId}`;
  if (!facts.apiHasConnectRoute) {
    const line = view.lineAt(sam.logicalId, 'Properties', 'Routes');
    return {
      logicalId: sam.logicalId,
      property: 'Routes',
      ...(line === undefined ? {} : { line }),
      fix: `add a $connect entry to Routes of ${api} and set its Auth.AuthType to AWS_IAM, or CUSTOM with Auth.AuthArn (a Lambda authorizer): a WebSocket API is authenticated at $connect`,
    };
  }
  const setting = view.samSetting(sam, 'Auth', 'AuthType');
  const line = facts.routeKey === '$connect' ? setting.line : route.line;
  return {
    logicalId: sam.logicalId,
    property: facts.routeKey === '$connect' ? setting.property : `Routes.${facts.routeKey}`,
    ...(line === undefined ? {} : { line }),
    fix: `set Auth.AuthType on ${api} to AWS_IAM, or CUSTOM with Auth.AuthArn (a Lambda authorizer); SAM puts it on the $connect route`,
  };
}
