import { expect } from 'chai';
import { lambdaFunctionUrlAuth as rule } from '../../../rules/lambda-function-url-auth/rule';
import { planTable, type PlannedResource } from '../../helpers/plans';
import { UNVERIFIABLE } from '../../helpers/templates';

const fn = (name: string, tags: Record<string, string> | null = null): PlannedResource => ({
  address: `aws_lambda_function.${name}`,
  after: { function_name: name, runtime: 'nodejs22.x', tags },
  unknown: { arn: true, id: true, tags_all: true },
});

const url = (
  name: string,
  after: Record<string, unknown>,
  expressions: Record<string, unknown> = {},
  unknown: Record<string, unknown> = {},
): PlannedResource => ({
  address: `aws_lambda_function_url.${name}`,
  after: { qualifier: null, ...after },
  unknown: { function_arn: true, function_url: true, id: true, url_id: true, ...unknown },
  expressions,
});

const toFunction = (name: string, attribute = 'function_name'): Record<string, unknown> => ({
  function_name: { references: [`aws_lambda_function.${name}.${attribute}`, `aws_lambda_function.${name}`] },
});

describe('AUTHN-LAMBDA-URL terraform adapter', () => {
  planTable(rule, [
    {
      title: 'authorization_type AWS_IAM → COMPLIANT',
      resources: [
        fn('reports'),
        url('reports', { function_name: 'reports', authorization_type: 'AWS_IAM' }, toFunction('reports')),
      ],
      resourceId: 'aws_lambda_function_url.reports',
      compliance: 'COMPLIANT',
      annotation: /^Function URL of "reports" requires IAM/,
    },
    {
      title: 'NONE → NON_COMPLIANT, with the Terraform fix',
      resources: [
        fn('reports'),
        url('reports', { function_name: 'reports', authorization_type: 'NONE' }, toFunction('reports')),
      ],
      resourceId: 'aws_lambda_function_url.reports',
      compliance: 'NON_COMPLIANT',
      annotation: /has AuthType NONE/,
      also: (finding) => expect(finding.remediation).to.match(/set authorization_type = "AWS_IAM"/),
    },
    {
      title:
        'function_name = the function’s ARN, known only after apply: the function is found through the reference',
      resources: [
        fn('reports', {
          'authn-exception/AUTHN-LAMBDA-URL': 'handler checks the webhook provider signature',
        }),
        url('reports', { function_name: null, authorization_type: 'NONE' }, toFunction('reports', 'arn'), {
          function_name: true,
        }),
      ],
      resourceId: 'aws_lambda_function_url.reports',
      compliance: 'COMPLIANT',
      annotation: /^Exception: handler checks the webhook provider signature/,
      also: (finding) => expect(finding.resourceName).to.equal('reports URL'),
    },
    {
      title:
        'an alias URL: the qualifier names the alias, and an alias-qualified exception tag on the function exempts it',
      resources: [
        fn('reports', { 'authn-exception/AUTHN-LAMBDA-URL/live': 'live alias serves signed webhooks only' }),
        url(
          'live',
          { function_name: 'reports', qualifier: 'live', authorization_type: 'NONE' },
          toFunction('reports'),
        ),
      ],
      resourceId: 'aws_lambda_function_url.live',
      compliance: 'COMPLIANT',
      annotation: /^Exception: live alias serves signed webhooks only/,
      also: (finding) => expect(finding.resourceName).to.equal('reports:live URL'),
    },
    {
      title: 'a qualifier known only after apply, from an alias whose name is known, is that alias',
      resources: [
        fn('reports'),
        {
          address: 'aws_lambda_alias.live',
          after: { name: 'live', function_name: 'reports' },
          unknown: { arn: true, id: true },
          expressions: {
            function_name: {
              references: ['aws_lambda_function.reports.function_name', 'aws_lambda_function.reports'],
            },
          },
        },
        url(
          'live',
          { function_name: 'reports', qualifier: null, authorization_type: 'NONE' },
          {
            ...toFunction('reports'),
            qualifier: { references: ['aws_lambda_alias.live.name', 'aws_lambda_alias.live'] },
          },
          { qualifier: true },
        ),
      ],
      resourceId: 'aws_lambda_function_url.live',
      compliance: 'NON_COMPLIANT',
      annotation: /^Function URL of "reports" alias "live" has AuthType NONE/,
    },
    {
      title: 'a qualified ARN as function_name names the alias',
      resources: [
        url('legacy', {
          function_name: 'arn:aws:lambda:us-east-1:123456789012:function:legacy-export:prod',
          authorization_type: 'NONE',
        }),
      ],
      resourceId: 'aws_lambda_function_url.legacy',
      compliance: 'NON_COMPLIANT',
      annotation: /^Function URL of "legacy-export" alias "prod" has AuthType NONE/,
    },
    {
      title: 'a function outside the plan, by name: judged, without exception tags',
      resources: [url('legacy', { function_name: 'legacy-export', authorization_type: 'NONE' })],
      resourceId: 'aws_lambda_function_url.legacy',
      compliance: 'NON_COMPLIANT',
      annotation: /^Function URL of "legacy-export" has AuthType NONE/,
    },
    {
      title: 'a function name known only after apply and not found in the plan cannot be verified',
      resources: [
        url(
          'mystery',
          { function_name: null, authorization_type: 'AWS_IAM' },
          { function_name: { references: ['local.function_name'] } },
          { function_name: true },
        ),
      ],
      resourceId: 'aws_lambda_function_url.mystery',
      compliance: 'NON_COMPLIANT',
      annotation: UNVERIFIABLE,
    },
    {
      title: 'authorization_type known only after apply cannot be verified',
      resources: [
        fn('reports'),
        url('reports', { function_name: 'reports', authorization_type: null }, toFunction('reports'), {
          authorization_type: true,
        }),
      ],
      resourceId: 'aws_lambda_function_url.reports',
      compliance: 'NON_COMPLIANT',
      annotation: /cannot be verified before deploy: authorization_type is known only after apply/,
    },
  ]);
});
