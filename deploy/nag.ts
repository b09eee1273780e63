/**
 * cdk-nag (v3: a policy-validation plugin; acknowledgements are `Validations.of(construct).acknowledge`). The app
 * accepts exactly two kinds of finding, each acknowledged where it arises with its reason:
 *
 * - AwsSolutions-IAM5, for every wildcard in a resource ARN: each one comes from deploy/iam.ts, which says per action
 *   why IAM cannot be told more (no resource type, or ids only known at run time). Computed from the statements
 *   themselves, so a new wildcard without a reason in iam.ts cannot slip in.
 * - AwsSolutions-L1 (not the newest Node.js runtime): the design pins nodejs22.x, the runtime the tests run on.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
// cdk-nag's own flattening, so the acknowledged ids are the ones its IAM5 rule reports.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

export const NAG_PACK = 'AwsSolutions';

/** The IAM5 finding ids (`Resource::…` with a wildcard) a statement produces. */
export function wildcardFindings(scope: IConstruct, statement: PolicyStatement): string[] {
  const json = Stack.of(scope).resolve(statement.toStatementJson()) as { Resource?: unknown };
  const resources = Array.isArray(json.Resource) ? (json.Resource as unknown[]) : [json.Resource];
  return resources
    .filter((resource) => resource !== undefined)
    .map((resource) => flattenCfnReference(resource))
    .filter((resource) => resource.includes('*'))
    .map((resource) => `${NAG_PACK}-IAM5[Resource::${resource}]`);
}

/** Acknowledges every wildcard resource of `statements` on `role`, with `reason(statement)` as the justification. */
export function acknowledgeWildcards(
  role: IConstruct,
  statements: readonly PolicyStatement[],
  reason: (statement: PolicyStatement) => string,
): void {
  for (const statement of statements) {
    for (const id of wildcardFindings(role, statement)) {
      Validations.of(role).acknowledge({ id, reason: reason(statement) });
    }
  }
}

export const RUNTIME_REASON =
  'The design pins nodejs22.x (docs: ARCHITECTURE.md): the bundles target node22 and the test suite runs on it; a newer runtime is adopted deliberately, with the tests, not by a linter.';

export function acknowledgeRuntime(fn: IConstruct): void {
  Validations.of(fn).acknowledge({ id: `${NAG_PACK}-L1`, reason: RUNTIME_REASON });
}
