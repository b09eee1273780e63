/**
 * What the deploy-time hook's live reads may touch (rule.hook.iamActions in the registry): per action, the narrowest
 * resources IAM lets a policy name. The hook function's role (single account) and the member execution role
 * (organization) grant exactly these; an action without an entry here fails the synth, as in deploy/iam.ts.
 */
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { RULES } from '../rules/index';
import type { AnyRule } from '../rules/core/types';
import { UnscopedActionError, type ArnScope } from './iam';

/** What the hook's live reads may touch: the narrowest resources IAM lets a policy name, per action. */
export const HOOK_READ_SCOPING: Readonly<
  Record<string, { readonly resources: (scope: ArnScope) => string[]; readonly why: string }>
> = {
  'apigateway:GET': {
    resources: ({ partition, region }) => [`arn:${partition}:apigateway:${region}::/apis/*`],
    why: "apigateway:GET on /apis/*: GetApi (/apis/{id}) and GetRoutes (/apis/{id}/routes) of the API a route's (or a managed override's) hook request names, whose id is known only at deploy; IAM's * also matches the API's other read-only sub-resources",
  },
  'appsync:GetApi': {
    resources: ({ partition, region, account }) => [`arn:${partition}:appsync:${region}:${account}:apis/*`],
    // Service Authorization Reference (AWS AppSync): GetApi requires the api resource type, arn:…:apis/${ApiId}.
    why: 'appsync:GetApi on apis/*: the Event API a channel namespace hook request names (the api resource type, arn:<partition>:appsync:<region>:<account>:apis/<apiId>), whose id is known only at deploy',
  },
};

/** Every action the rules' live reads make (rule.hook.iamActions). */
export function hookReadActions(rules: readonly AnyRule[] = RULES): string[] {
  return [...new Set(rules.flatMap((rule) => rule.hook?.iamActions ?? []))].sort();
}

export function hookReadStatements(
  scopes: readonly ArnScope[],
  conditions?: Record<string, Record<string, unknown>>,
  rules: readonly AnyRule[] = RULES,
): PolicyStatement[] {
  return hookReadActions(rules).map((action) => {
    const scoping = HOOK_READ_SCOPING[action];
    if (scoping === undefined) throw new UnscopedActionError(action);
    return new PolicyStatement({
      actions: [action],
      resources: [...new Set(scopes.flatMap((scope) => scoping.resources(scope)))],
      ...(conditions === undefined ? {} : { conditions }),
    });
  });
}

export function hookReadReason(actions: readonly string[]): string {
  return actions.map((action) => HOOK_READ_SCOPING[action]?.why ?? action).join('; ');
}
