/**
 * The registry: the one list of controls. The conformance pack, the CDK app, the CLI, the docs and the tests
 * all loop over it. Adding a control is one folder under rules/ and one line here.
 */
import { apigwRestMethodAuthorization } from './apigw-rest-method-authorization/rule';
import { apigwv2RouteAuthorization } from './apigwv2-route-authorization/rule';
import { appsyncEventApiNoApiKey } from './appsync-event-api-no-api-key/rule';
import { appsyncNoApiKey } from './appsync-no-api-key/rule';
import { dmsMongodbAuthentication } from './dms-mongodb-authentication/rule';
import { elasticacheRedisAuth } from './elasticache-redis-auth/rule';
import { lambdaFunctionUrlAuth } from './lambda-function-url-auth/rule';
import { mskNoUnauthenticatedAccess } from './msk-no-unauthenticated-access/rule';
import { neptuneIamAuth } from './neptune-iam-auth/rule';
import type { SamExpansion } from './core/sam';
import type { AnyRule } from './core/types';

export const RULES: readonly AnyRule[] = [
  apigwv2RouteAuthorization,
  appsyncNoApiKey,
  mskNoUnauthenticatedAccess,
  elasticacheRedisAuth,
  dmsMongodbAuthentication,
  neptuneIamAuth,
  lambdaFunctionUrlAuth,
  apigwRestMethodAuthorization,
  appsyncEventApiNoApiKey,
];

/** The SAM types' expansions the controls declare (`TemplateAdapter.sam`), for rules/core/sam.ts `expandSam`. */
export const SAM_EXPANSIONS: readonly SamExpansion[] = RULES.flatMap((rule) => rule.template?.sam ?? []);

/** Folder of a rule under rules/ (its Config rule name without the `authn-` prefix). */
export const ruleFolder = (rule: AnyRule): string => rule.ruleName.replace(/^authn-/, '');

/** Finds a rule by control id (`MSK.6`), Config rule name or folder name, case-insensitively. */
export function findRule(name: string): AnyRule | undefined {
  const wanted = name.toLowerCase();
  return RULES.find(
    (rule) =>
      rule.control.toLowerCase() === wanted ||
      rule.ruleName.toLowerCase() === wanted ||
      ruleFolder(rule).toLowerCase() === wanted,
  );
}
