/**
 * Where a failing method of a SAM REST API is fixed, in the SAM properties its author wrote (not the Swagger the
 * transform makes of them). Property names from the AWS SAM Developer Guide: ApiAuth (`Auth.Authorizers` Cognito,
 * Lambda TOKEN or REQUEST, or `AWS_IAM`; `Auth.DefaultAuthorizer`; `Auth.ApiKeyRequired`;
 * `Auth.AddDefaultAuthorizerToCorsPreflight`) and ApiFunctionAuth (an event's `Auth.Authorizer`, `NONE` to open one
 * method under a default authorizer).
 */
import type { RouteOrigin, SamSource, TemplateResource, TemplateView } from '../core/template';

/** What a SAM method's finding says and points at instead of the transformed API's. */
export interface SamMethodFix {
  readonly fix: string;
  readonly logicalId: string;
  readonly property: string;
  readonly line?: number;
}

/** The authorizers a REST method can name (`owner`: whose Auth.Authorizers). */
const authorizers = (owner: string): string =>
  `a Cognito or Lambda (TOKEN or REQUEST) authorizer of ${owner} Auth.Authorizers, or AWS_IAM`;
const API_KEY_NOTE = 'Auth.ApiKeyRequired alone is not authentication';

function restApiOf(sam: SamSource): string {
  return sam.implicit === true
    ? `the ${sam.logicalId} SAM makes from Api events`
    : `the AWS::Serverless::Api ${sam.logicalId}`;
}

/** Where the API's default authorizer is set, in words: the API's own Auth, or Globals.Api. */
function defaultAuthorizerOf(sam: SamSource, view: TemplateView): string {
  const setting = view.samSetting(sam, 'Auth', 'DefaultAuthorizer');
  return setting.inGlobals
    ? `${setting.property} (it reaches ${restApiOf(sam)})`
    : `Auth.DefaultAuthorizer on ${restApiOf(sam)}`;
}

/** A method of an AWS::Serverless::Api (or the implicit ServerlessRestApi): from an event, Cors, or DefinitionBody. */
export function samRestMethodFix(
  api: TemplateResource,
  sam: SamSource,
  view: TemplateView,
  key: string,
  httpMethod: string,
  origin: RouteOrigin | undefined,
): SamMethodFix | undefined {
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
        fix: `remove Auth.Authorizer: NONE from ${origin.name} so the API's Auth.DefaultAuthorizer applies, or set it to ${authorizers("the API's")} (${API_KEY_NOTE})`,
      };
    }
    return {
      ...at,
      fix: `set ${defaultAuthorizerOf(sam, view)} to ${authorizers('its')}, or the event's Auth.Authorizer for this method alone (${API_KEY_NOTE})`,
    };
  }
  if (httpMethod === 'OPTIONS' && api.bodyProperty === undefined) {
    // Without a DefinitionBody, a method no event makes is the preflight SAM adds for Cors. Browsers send it without
    // credentials, so an authorizer on it breaks CORS: the rule's parameter exempts it.
    const setting = view.samSetting(sam, 'Auth', 'AddDefaultAuthorizerToCorsPreflight');
    const authorizer = setting.written
      ? `remove ${setting.property}: false so it gets the default authorizer`
      : `set ${defaultAuthorizerOf(sam, view)} (SAM adds it to the preflight too)`;
    return {
      logicalId: sam.logicalId,
      property: setting.property,
      ...(setting.line === undefined ? {} : { line: setting.line }),
      fix: `${key} is the CORS preflight SAM adds for Cors: set the rule's ExemptCorsPreflightMethods parameter (browsers send preflights without credentials), or ${authorizer}`,
    };
  }
  if (sam.implicit === true) return undefined;
  const definition =
    api.bodyProperty === 'DefinitionBody' ? 'DefinitionBody' : 'the definition DefinitionUri names';
  return {
    logicalId: sam.logicalId,
    property: api.bodyProperty ?? 'DefinitionUri',
    fix: `give ${key} in ${definition} a security requirement naming ${authorizers("the API's")} (an api_key requirement alone is not authentication); Auth.DefaultAuthorizer reaches only methods with an x-amazon-apigateway-integration and no security of their own`,
  };
}
