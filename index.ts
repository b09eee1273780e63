/**
 * authn-pack as a library: the registry, each control's decision over plain facts, the exception convention, the
 * account scan and the template check. The same code the Config rules and the `authn-pack` command run.
 *
 *   import { RULES, evaluateCluster, scanTargets, checkTemplates } from 'authn-pack';
 *
 * The CDK validation plugin is `authn-pack/cdk` (it needs aws-cdk-lib), the CloudFormation hook handler
 * `authn-pack/hook`.
 */
export { RULES, findRule, ruleFolder } from './rules/index';
export type {
  AnyRule,
  Compliance,
  ConfigurationItem,
  RuleDefinition,
  SweptResource,
  Verdict,
} from './rules/core/types';

// Each control's pure decision and its facts.
export { evaluateRoute } from './rules/apigwv2-route-authorization/decision';
export type { RouteFacts } from './rules/apigwv2-route-authorization/facts';
export { evaluateGraphqlApi } from './rules/appsync-no-api-key/decision';
export type { GraphqlApiFacts } from './rules/appsync-no-api-key/facts';
export { evaluateCluster } from './rules/msk-no-unauthenticated-access/decision';
export type { ClientAuthenticationFacts, ClusterFacts } from './rules/msk-no-unauthenticated-access/facts';
export { evaluateReplicationGroup } from './rules/elasticache-redis-auth/decision';
export type { ReplicationGroupFacts } from './rules/elasticache-redis-auth/facts';
export { evaluateEndpoint } from './rules/dms-mongodb-authentication/decision';
export type { EndpointFacts } from './rules/dms-mongodb-authentication/facts';
export { evaluateCluster as evaluateNeptuneCluster } from './rules/neptune-iam-auth/decision';
export type { NeptuneClusterFacts } from './rules/neptune-iam-auth/facts';
export { evaluateMethod } from './rules/apigw-rest-method-authorization/decision';
export type { MethodFacts } from './rules/apigw-rest-method-authorization/facts';
export { evaluateFunctionUrl } from './rules/lambda-function-url-auth/decision';
export type { FunctionUrlFacts } from './rules/lambda-function-url-auth/facts';
export { evaluateEventApi } from './rules/appsync-event-api-no-api-key/decision';
export type { EventApiFacts, NamespaceFacts } from './rules/appsync-event-api-no-api-key/facts';

// A decision with the exception tags applied, as every consumer takes it.
export { decide, judge, type Judgement } from './rules/core/decide';
export {
  DEFAULT_EXCEPTION_PREFIX,
  expiryKey,
  justificationKey,
  todayUtc,
  type ExceptionSettings,
} from './rules/core/exceptions';

// The account scan and the template check, as findings.
export { scanTarget, scanTargets, type ScanOptions, type ScanTarget } from './cli/scan';
export { checkTemplates, type TemplateCheckOptions } from './cli/check-template';
export type { DanglingTag, Finding, FindingsReport, Unreadable } from './cli/findings';
