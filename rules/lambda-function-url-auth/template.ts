/**
 * CloudFormation → function URL facts (`AWS::Lambda::Url`). The URL's function is found through `TargetFunctionArn`
 * (a `Ref`/`Fn::GetAtt` to an `AWS::Lambda::Function`, or to an `AWS::Lambda::Alias`, whose name is then the
 * qualifier), and holds the exception tags; a literal ARN is read as such.
 */
import type {
  SamSource,
  TemplateEvaluation,
  TemplateResource,
  TemplateView,
  Unverifiable,
} from '../core/template';
import type { TemplateAdapter } from '../core/types';
import { parseFunctionArn } from './decision';
import type { FunctionUrlFacts } from './facts';
import { samFunctionUrl } from './sam-function-url';

interface Target {
  readonly function?: TemplateResource;
  readonly functionName: string;
  readonly aliasName?: string;
}

function textOf(view: TemplateView, value: unknown, property: string): string | undefined {
  const resolved = view.text(value, property);
  return resolved.known ? resolved.value : undefined;
}

function targetOf(url: TemplateResource, view: TemplateView): Target | { unverifiable: Unverifiable } {
  const value = url.properties.TargetFunctionArn;
  if (value === undefined)
    return { unverifiable: { property: 'TargetFunctionArn', reason: 'TargetFunctionArn is missing' } };
  let pointed = view.resourceOf(value);
  let aliasName: string | undefined;
  if (pointed?.type === 'AWS::Lambda::Alias') {
    aliasName = textOf(view, pointed.properties.Name, 'Name');
    pointed = view.resourceOf(pointed.properties.FunctionName) ?? undefined;
  }
  if (pointed !== undefined) {
    const name = textOf(view, pointed.properties.FunctionName, 'FunctionName') ?? pointed.logicalId;
    return { function: pointed, functionName: name, ...(aliasName === undefined ? {} : { aliasName }) };
  }
  const literal = view.text(value, 'TargetFunctionArn');
  if (!literal.known || literal.value === undefined)
    return {
      unverifiable: literal.known
        ? { property: 'TargetFunctionArn', reason: 'TargetFunctionArn is empty' }
        : { property: literal.property, reason: literal.reason },
    };
  const parsed = parseFunctionArn(literal.value);
  return parsed === undefined
    ? { functionName: literal.value }
    : {
        functionName: parsed.name,
        ...(parsed.qualifier === undefined ? {} : { aliasName: parsed.qualifier }),
      };
}

function read(url: TemplateResource, view: TemplateView): TemplateEvaluation<FunctionUrlFacts>[] {
  const target = targetOf(url, view);
  const holder = 'function' in target ? target.function : undefined;
  const base = {
    resourceId: url.logicalId,
    logicalId: url.logicalId,
    resourceName: 'functionName' in target ? `${target.functionName} URL` : url.logicalId,
    tags: holder === undefined ? {} : view.tags(holder.properties.Tags),
    ...(url.line === undefined ? {} : { line: url.line }),
    ...(holder === undefined ? {} : { holder: holder.logicalId }),
  };
  if ('unverifiable' in target) return [{ ...base, unverifiable: target.unverifiable }];
  const qualifier = view.text(url.properties.Qualifier, 'Qualifier');
  if (!qualifier.known)
    return [{ ...base, unverifiable: { property: qualifier.property, reason: qualifier.reason } }];
  const alias = qualifier.value ?? target.aliasName;
  const qualifiers = alias === undefined ? [] : [alias];
  const authType = view.text(url.properties.AuthType, 'AuthType');
  if (!authType.known)
    return [{ ...base, qualifiers, unverifiable: { property: authType.property, reason: authType.reason } }];
  return [
    {
      ...base,
      ...(url.sam === undefined ? {} : samFix(url.sam, view)),
      resourceName:
        alias === undefined ? `${target.functionName} URL` : `${target.functionName}:${alias} URL`,
      facts: {
        functionName: target.functionName,
        functionArn: undefined,
        qualifier: alias,
        authType: authType.value,
        functionUrl: undefined,
        region: undefined,
      },
    },
  ];
}

/**
 * A URL SAM makes from an AWS::Serverless::Function's `FunctionUrlConfig` (AWS SAM Developer Guide,
 * FunctionUrlConfig: `AuthType` AWS_IAM or NONE, passed to the URL's AuthType) is fixed there, or in
 * Globals.Function when that is where AuthType comes from. For NONE the transform itself adds the public
 * lambda:InvokeFunctionUrl permission, and drops it for AWS_IAM: there is no permission for the author to remove.
 */
function samFix(
  sam: SamSource,
  view: TemplateView,
): { fix: string; logicalId: string; property: string; line?: number } {
  const setting = view.samSetting(sam, 'FunctionUrlConfig', 'AuthType');
  const reach = setting.inGlobals
    ? ` (it reaches every AWS::Serverless::Function without its own, or set FunctionUrlConfig.AuthType on ${sam.logicalId})`
    : '';
  return {
    logicalId: sam.logicalId,
    property: setting.property,
    ...(setting.line === undefined ? {} : { line: setting.line }),
    fix: `set ${setting.property}: AWS_IAM${reach}; callers sign with SigV4 (CloudFront OAC for browsers), and the transform then adds no public invoke permission`,
  };
}

export const functionUrlTemplate: TemplateAdapter<FunctionUrlFacts> = {
  resourceTypes: ['AWS::Lambda::Url'],
  sam: [samFunctionUrl],
  property: 'AuthType',
  read,
  fix: () =>
    'set AuthType: AWS_IAM and remove the public AWS::Lambda::Permission (FunctionUrlAuthType NONE); callers sign with SigV4 (CloudFront OAC for browsers)',
};
