/**
 * `FunctionUrlConfig` on `AWS::Serverless::Function` (Globals merged) → `<Function>Url` (`AWS::Lambda::Url`) with its
 * `AuthType`, targeting the `<Function>Alias<alias>` alias of `AutoPublishAlias` when there is one
 * (aws-sam-translator 1.110; see rules/core/sam.ts).
 */
import { isIntrinsic } from '../core/openapi';
import type { SamExpansion } from '../core/sam';
import type { TemplateResource } from '../core/template';
import { fail, isRecord, samSource, withGlobals, type Json } from '../core/sam/shared';

/** The URL (and the alias it targets) SAM makes of a function's FunctionUrlConfig; none without one. */
function functionUrlResources(
  fn: TemplateResource,
  properties: Json,
  parameterDefault: (value: unknown) => unknown,
  lineOf: (...path: (string | number)[]) => number | undefined,
): TemplateResource[] {
  const config = properties.FunctionUrlConfig;
  if (config === undefined || config === null) return [];
  const authType = isRecord(config) ? config.AuthType : undefined;
  if (
    isRecord(config) &&
    !isIntrinsic(config) &&
    !isIntrinsic(authType) &&
    authType !== 'AWS_IAM' &&
    authType !== 'NONE'
  ) {
    fail(
      fn.logicalId,
      'AuthType is required to configure function property `FunctionUrlConfig`. Please provide either AWS_IAM or NONE.',
    );
  }
  const made: TemplateResource[] = [];
  let target: unknown = { Ref: fn.logicalId };
  if (properties.AutoPublishAlias !== undefined) {
    const alias = parameterDefault(properties.AutoPublishAlias);
    if (typeof alias !== 'string')
      fail(fn.logicalId, "'AutoPublishAlias' must be a string or a Ref to a template parameter");
    const aliasId = `${fn.logicalId}Alias${alias.replace(/[^A-Za-z0-9]/g, '')}`;
    made.push({
      logicalId: aliasId,
      type: 'AWS::Lambda::Alias',
      properties: { Name: alias, FunctionName: { Ref: fn.logicalId } },
      ...(fn.line === undefined ? {} : { line: fn.line }),
    });
    target = { Ref: aliasId };
  }
  const urlLine = lineOf(fn.logicalId, 'Properties', 'FunctionUrlConfig') ?? fn.line;
  made.push({
    logicalId: `${fn.logicalId}Url`,
    type: 'AWS::Lambda::Url',
    properties: {
      TargetFunctionArn: target,
      // SAM reads AuthType off the mapping; of an intrinsic it reads nothing, and neither does the check.
      ...(authType === undefined ? {} : { AuthType: authType }),
    },
    ...(urlLine === undefined ? {} : { line: urlLine }),
    sam: samSource('AWS::Serverless::Function', fn.logicalId, 'Function'),
  });
  return made;
}

/** The function stays as it is; its URL (and alias) are added after it. */
export const samFunctionUrl: SamExpansion = {
  samType: 'AWS::Serverless::Function',
  start: (template) => ({
    expand: (resource) => [
      resource,
      ...functionUrlResources(
        resource,
        withGlobals(resource.properties, template.globals.Function),
        template.parameterDefault,
        template.lineOf,
      ),
    ],
  }),
};
