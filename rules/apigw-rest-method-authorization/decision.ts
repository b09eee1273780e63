/** The REST method decision and its fixes: pure, over MethodFacts. */
import { booleanParameter, PERIODIC_PARAMETERS } from '../core/parameters';
import type { RemediationTarget, Verdict } from '../core/types';
import type { MethodFacts } from './facts';

export const AUTHORIZATION_TYPES = ['AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM'] as const;
const KNOWN_TYPES = new Set<string>(AUTHORIZATION_TYPES);

export const methodParameters = {
  ...PERIODIC_PARAMETERS,
  ExemptCorsPreflightMethods: booleanParameter(
    'When true, OPTIONS methods (CORS preflight) pass without authorization.',
    false,
  ),
};

/** Every reason code this decision gives (stable: users filter and dedupe on them, the docs list them). */
export const METHOD_CODES = [
  'rest-method-cors-preflight-exempt',
  'rest-method-authorization-none',
  'rest-method-api-key-only',
  'rest-method-authorization-unrecognised',
  'rest-method-authorization-present',
] as const;
export type MethodCode = (typeof METHOD_CODES)[number];

export const methodKey = (facts: MethodFacts): string => `${facts.httpMethod} ${facts.path}`;

const describeMethod = (facts: MethodFacts): string =>
  `Method "${methodKey(facts)}" of REST API "${facts.apiName}" (${facts.apiId})`;

export function evaluateMethod(
  facts: MethodFacts,
  params: { readonly ExemptCorsPreflightMethods: boolean },
): Verdict<MethodCode> {
  const method = describeMethod(facts);
  const type = facts.authorizationType ?? 'NONE';
  if (type === 'NONE') {
    if (params.ExemptCorsPreflightMethods && facts.httpMethod.toUpperCase() === 'OPTIONS') {
      return {
        compliance: 'COMPLIANT',
        code: 'rest-method-cors-preflight-exempt',
        annotation: `Exception: CORS preflight method exempted by ExemptCorsPreflightMethods=true (${method}).`,
      };
    }
    const key = facts.apiKeyRequired
      ? ' An API key is required, but a key is a shared string, not an identity.'
      : ' Anyone can call it.';
    return {
      compliance: 'NON_COMPLIANT',
      code: facts.apiKeyRequired ? 'rest-method-api-key-only' : 'rest-method-authorization-none',
      annotation: `${method} has no authorization (NONE).${key} Set AWS_IAM, COGNITO_USER_POOLS or a Lambda (CUSTOM) authorizer, or document an exception tag.`,
    };
  }
  if (!KNOWN_TYPES.has(type)) {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'rest-method-authorization-unrecognised',
      annotation: `${method} has an unrecognised authorization type "${type.slice(0, 30)}"; authentication not verified. Use AWS_IAM, COGNITO_USER_POOLS or CUSTOM.`,
    };
  }
  return {
    compliance: 'COMPLIANT',
    code: 'rest-method-authorization-present',
    annotation: `${method} requires ${type} authorization.`,
  };
}

export function methodRemediation(facts: MethodFacts): string {
  const base = `aws apigateway${facts.region === undefined ? '' : ` --region ${facts.region}`}`;
  return (
    `${base} update-method --rest-api-id ${facts.apiId} --resource-id ${facts.resourceId} --http-method ${facts.httpMethod}` +
    ' --patch-operations op=replace,path=/authorizationType,value=AWS_IAM' +
    `  # or CUSTOM/COGNITO_USER_POOLS with op=replace,path=/authorizerId,value=<authorizer-id>` +
    ` && ${base} create-deployment --rest-api-id ${facts.apiId} --stage-name <stage>`
  );
}

/**
 * The fix from a method ARN alone (`arn:<partition>:apigateway:<region>::/restapis/<apiId>/resources/<resourceId>/methods/<METHOD>`),
 * or from an API id when the rule had to report on the API.
 */
export function methodRemediationHint(target: RemediationTarget): string {
  const method = /\/restapis\/([^/]+)\/resources\/([^/]+)\/methods\/([^/]+)$/.exec(target.resourceId);
  const api = /\/restapis\/([^/]+)$/.exec(target.resourceId);
  const apiId =
    method?.[1] ??
    api?.[1] ??
    (/^[A-Za-z0-9]+$/.test(target.resourceId) ? target.resourceId : '<rest-api-id>');
  return methodRemediation({
    apiId,
    apiName: apiId,
    resourceId: method?.[2] ?? '<resource-id>',
    path: '',
    httpMethod: method?.[3] ?? '<METHOD>',
    authorizationType: undefined,
    apiKeyRequired: false,
    endpointTypes: [],
    region: target.region,
  });
}
