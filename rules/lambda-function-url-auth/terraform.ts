/**
 * Terraform → function URL facts (`aws_lambda_function_url`). `function_name` takes a name or an ARN (hashicorp/aws
 * 5.100.0 docs); the function is found through the configuration's references, else by its known name or ARN among
 * the plan's `aws_lambda_function` resources, and holds the exception tags. `qualifier` is the alias (a reference to
 * an `aws_lambda_alias` whose name is known counts); `authorization_type` is required by the provider.
 */
import type { TemplateEvaluation, Unverifiable } from '../core/template';
import { knownText, type PlanResource, type PlanUnknown, type PlanView } from '../core/terraform';
import type { TerraformAdapter } from '../core/types';
import { parseFunctionArn } from './decision';
import type { FunctionUrlFacts } from './facts';

const FUNCTION = 'aws_lambda_function';
const ALIAS = 'aws_lambda_alias';

interface Target {
  readonly function?: PlanResource;
  readonly functionName: string;
  readonly aliasName?: string;
}

/** Per plan: its functions by known name and by known ARN. */
const functionsByName = new WeakMap<PlanView, Map<string, PlanResource>>();

function functionNamed(plan: PlanView, name: string): PlanResource | undefined {
  let byName = functionsByName.get(plan);
  if (byName === undefined) {
    byName = new Map();
    for (const candidate of plan.ofType(FUNCTION)) {
      for (const attribute of ['function_name', 'arn']) {
        const value = knownText(plan, candidate, attribute);
        if (value !== undefined) byName.set(value, candidate);
      }
    }
    functionsByName.set(plan, byName);
  }
  return byName.get(name);
}

function nameOf(plan: PlanView, fn: PlanResource): string {
  return knownText(plan, fn, 'function_name') ?? fn.address;
}

function targetOf(url: PlanResource, plan: PlanView): Target | { readonly unverifiable: Unverifiable } {
  const referenced = plan.references(url, 'function_name').resources;
  const fn = referenced.find((resource) => resource.type === FUNCTION);
  if (fn !== undefined && referenced.filter((resource) => resource.type === FUNCTION).length === 1) {
    return { function: fn, functionName: nameOf(plan, fn) };
  }
  const alias = referenced.find((resource) => resource.type === ALIAS);
  if (alias !== undefined) {
    // function_name = aws_lambda_alias.x.arn: the alias's function, qualified by the alias.
    const aliasName = knownText(plan, alias, 'name');
    const [aliasFunction] = plan
      .references(alias, 'function_name')
      .resources.filter((resource) => resource.type === FUNCTION);
    if (aliasFunction !== undefined) {
      return {
        function: aliasFunction,
        functionName: nameOf(plan, aliasFunction),
        ...(aliasName === undefined ? {} : { aliasName }),
      };
    }
  }
  const given = plan.text(url, 'function_name');
  if (!given.known) {
    return {
      unverifiable: {
        property: given.property,
        reason: `${given.reason} and its function is not found in the plan`,
      },
    };
  }
  if (given.value === undefined || given.value === '') {
    return { unverifiable: { property: 'function_name', reason: 'function_name is missing' } };
  }
  const parsed = parseFunctionArn(given.value);
  const name = parsed?.name ?? given.value;
  const found = functionNamed(plan, given.value) ?? functionNamed(plan, name);
  return {
    ...(found === undefined ? {} : { function: found }),
    functionName: name,
    ...(parsed?.qualifier === undefined ? {} : { aliasName: parsed.qualifier }),
  };
}

/** The alias: a known qualifier, or the known name of the alias it refers to. */
function qualifierOf(
  url: PlanResource,
  plan: PlanView,
): { known: true; value: string | undefined } | PlanUnknown {
  const qualifier = plan.text(url, 'qualifier');
  if (qualifier.known) return qualifier;
  const [alias] = plan.references(url, 'qualifier').resources.filter((resource) => resource.type === ALIAS);
  const name = alias === undefined ? undefined : knownText(plan, alias, 'name');
  return name === undefined ? qualifier : { known: true, value: name };
}

function read(url: PlanResource, plan: PlanView): TemplateEvaluation<FunctionUrlFacts>[] {
  const target = targetOf(url, plan);
  const holder = 'function' in target ? target.function : undefined;
  const base = {
    resourceId: url.address,
    logicalId: url.address,
    resourceName: 'functionName' in target ? `${target.functionName} URL` : url.address,
    tags: holder === undefined ? {} : plan.tags(holder),
    ...(holder === undefined ? {} : { holder: holder.address }),
  };
  if ('unverifiable' in target) {
    return [
      {
        ...base,
        unverifiable: target.unverifiable,
        fix: 'set function_name to the function (aws_lambda_function.<name>.function_name) or a literal name, or document an exception tag',
      },
    ];
  }
  const qualifier = qualifierOf(url, plan);
  if (!qualifier.known)
    return [{ ...base, unverifiable: { property: qualifier.property, reason: qualifier.reason } }];
  const alias = qualifier.value ?? target.aliasName;
  const qualifiers = alias === undefined ? [] : [alias];
  const authType = plan.text(url, 'authorization_type');
  if (!authType.known)
    return [{ ...base, qualifiers, unverifiable: { property: authType.property, reason: authType.reason } }];
  const arn = holder === undefined ? undefined : knownText(plan, holder, 'arn');
  return [
    {
      ...base,
      resourceName:
        alias === undefined ? `${target.functionName} URL` : `${target.functionName}:${alias} URL`,
      facts: {
        functionName: target.functionName,
        functionArn: arn,
        qualifier: alias,
        authType: authType.value,
        functionUrl: knownText(plan, url, 'function_url'),
        region: undefined,
      },
    },
  ];
}

export const functionUrlTerraform: TerraformAdapter<FunctionUrlFacts> = {
  resourceTypes: ['aws_lambda_function_url'],
  read,
  fix: () =>
    'set authorization_type = "AWS_IAM" and remove any aws_lambda_permission granting lambda:InvokeFunctionUrl to "*" (function_url_auth_type NONE); callers sign with SigV4 (CloudFront OAC for browsers)',
};
