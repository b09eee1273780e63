/**
 * `check-template` on Terraform: real `terraform show -json` output (test/fixtures/terraform, planned offline by
 * scripts/terraform-fixtures.ts) through the same decisions as CloudFormation, named by full address, with no
 * sensitive value in any output format.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTemplates } from '../../cli/check-template';
import type { Finding, FindingsReport } from '../../cli/findings';
import { FORMATS, render } from '../../cli/formats/index';
import type { Compliance } from '../../rules/core/types';
import { runCli } from '../helpers/cli';

const FIXTURES = join(__dirname, '..', 'fixtures', 'terraform');
const NOW = new Date('2026-12-01T12:00:00Z');

function check(...files: readonly string[]): FindingsReport {
  return checkTemplates(
    files.map((file) => join(FIXTURES, file)),
    { now: NOW, exceptionPrefix: 'authn-exception', requireExpiry: false, relativeTo: FIXTURES },
  );
}

const verdicts = (report: FindingsReport): Record<string, Compliance> =>
  Object.fromEntries(report.findings.map((finding) => [finding.resourceId, finding.compliance]));

function finding(report: FindingsReport, resourceId: string): Finding {
  const found = report.findings.find((item) => item.resourceId === resourceId);
  if (found === undefined) throw new Error(`no finding for ${resourceId}`);
  return found;
}

/** The distinctive secrets data-services/main.tf sets: a literal auth_token and a sensitive variable's default. */
const SECRETS = ['TF-FIXTURE-SECRET-redis-7d1e', 'TF-FIXTURE-SECRET-dms-9f3c'];

describe('cli check-plan (check-template on terraform show -json)', () => {
  describe('every resource type, passing and failing, by full address', () => {
    const rows: readonly {
      readonly plan: string;
      readonly expected: Readonly<Record<string, Compliance>>;
    }[] = [
      {
        plan: 'routes/plan.json',
        expected: {
          // No authorization_type: the provider's default, NONE.
          'aws_apigatewayv2_route.create_order': 'NON_COMPLIANT',
          'aws_apigatewayv2_route.list_orders': 'COMPLIANT',
          'aws_apigatewayv2_route.admin': 'COMPLIANT',
          // Open, exempted by a route-level tag on its API.
          'aws_apigatewayv2_route.health': 'COMPLIANT',
          'aws_apigatewayv2_route.chat_connect': 'COMPLIANT',
          'aws_apigatewayv2_route.chat_send': 'NOT_APPLICABLE',
          'aws_apigatewayv2_route.ticker_default': 'NON_COMPLIANT',
          'aws_apigatewayv2_api.webhook/$default': 'NON_COMPLIANT',
          // Routes of an OpenAPI body, one finding each: no security requirement, and a JWT scheme.
          'aws_apigatewayv2_api.imported/GET /pets': 'NON_COMPLIANT',
          'aws_apigatewayv2_api.imported/POST /pets': 'COMPLIANT',
          'aws_apigatewayv2_route.legacy': 'NON_COMPLIANT',
          'module.public_api.aws_apigatewayv2_route.status': 'NON_COMPLIANT',
          'module.public_api.aws_apigatewayv2_route.partners': 'COMPLIANT',
          'aws_apigatewayv2_route.partner_webhook': 'NON_COMPLIANT',
          'aws_apigatewayv2_route.regional_status[0]': 'NON_COMPLIANT',
          'aws_apigatewayv2_route.regional_status[1]': 'NON_COMPLIANT',
          // authorization_type chosen by a condition on an id known only after apply.
          'aws_apigatewayv2_route.regional_orders[0]': 'NON_COMPLIANT',
          'aws_apigatewayv2_route.regional_orders[1]': 'NON_COMPLIANT',
          'aws_apigatewayv2_route.regional_reports["GET /reports"]': 'COMPLIANT',
          'aws_apigatewayv2_route.regional_reports["POST /reports"]': 'COMPLIANT',
        },
      },
      {
        plan: 'data-services/plan.json',
        expected: {
          'aws_appsync_graphql_api.reviews': 'NON_COMPLIANT',
          'aws_appsync_graphql_api.catalog': 'NON_COMPLIANT',
          'aws_appsync_graphql_api.inventory': 'COMPLIANT',
          'aws_appsync_graphql_api.storefront': 'NON_COMPLIANT',
          'aws_msk_cluster.events': 'NON_COMPLIANT',
          'aws_msk_cluster.payments': 'COMPLIANT',
          'aws_msk_cluster.legacy': 'COMPLIANT',
          'aws_msk_serverless_cluster.analytics': 'NOT_APPLICABLE',
          'module.cache.aws_elasticache_replication_group.sessions': 'NON_COMPLIANT',
          'module.cache.aws_elasticache_replication_group.carts': 'COMPLIANT',
          'module.cache.aws_elasticache_replication_group.rates': 'NOT_APPLICABLE',
          'module.cache.aws_elasticache_replication_group.flags': 'NOT_APPLICABLE',
          'module.cache.aws_elasticache_replication_group.primary': 'NON_COMPLIANT',
          'module.cache.aws_elasticache_replication_group.secondary': 'NON_COMPLIANT',
          'aws_dms_endpoint.orders_source': 'NON_COMPLIANT',
          'aws_dms_endpoint.users_source': 'COMPLIANT',
          // No auth_type: the provider's default, password.
          'aws_dms_endpoint.audit_source': 'COMPLIANT',
          'aws_dms_endpoint.warehouse_target': 'NOT_APPLICABLE',
        },
      },
      {
        plan: 'front-doors/plan.json',
        expected: {
          'aws_api_gateway_method.list_orders': 'COMPLIANT',
          // An API key alone is not authentication.
          'aws_api_gateway_method.create_order': 'NON_COMPLIANT',
          // OPTIONS is exempt only with ExemptCorsPreflightMethods=true.
          'aws_api_gateway_method.orders_preflight': 'NON_COMPLIANT',
          'aws_api_gateway_method.get_order': 'COMPLIANT',
          // Open, exempted by a method-level tag on its API.
          'aws_api_gateway_method.health': 'COMPLIANT',
          'aws_api_gateway_method.root': 'NON_COMPLIANT',
          'aws_api_gateway_method.internal_root': 'NON_COMPLIANT',
          'aws_api_gateway_method.legacy': 'NON_COMPLIANT',
          // Methods of a Swagger 2.0 body, one finding each: Cognito, none, SigV4.
          'aws_api_gateway_rest_api.petstore/GET /pets': 'COMPLIANT',
          'aws_api_gateway_rest_api.petstore/POST /pets': 'NON_COMPLIANT',
          'aws_api_gateway_rest_api.petstore/DELETE /pets/{id}': 'COMPLIANT',
          // Open, exempted by a tag on the function (the handler checks the provider's signature).
          'aws_lambda_function_url.payments_webhook': 'COMPLIANT',
          'aws_lambda_function_url.reports': 'COMPLIANT',
          'aws_lambda_function_url.reports_live': 'NON_COMPLIANT',
          'aws_lambda_function_url.legacy': 'NON_COMPLIANT',
          'aws_neptune_cluster.graph': 'COMPLIANT',
          // No iam_database_authentication_enabled: off, as the provider leaves it.
          'aws_neptune_cluster.recommendations': 'NON_COMPLIANT',
          'aws_neptune_cluster.fraud': 'NON_COMPLIANT',
          'aws_neptune_cluster.staging': 'NON_COMPLIANT',
        },
      },
      {
        plan: 'lifecycle/plan.json',
        expected: {
          // The API exists (no-op): the new route's api_id is known and finds it by id.
          'aws_apigatewayv2_route.checkout': 'NON_COMPLIANT',
          'aws_appsync_graphql_api.feedback': 'COMPLIANT',
          'aws_msk_cluster.clicks': 'NON_COMPLIANT',
        },
      },
      {
        plan: 'lifecycle/state.json',
        expected: {
          'aws_apigatewayv2_route.beta_open': 'NON_COMPLIANT',
          'aws_appsync_graphql_api.feedback': 'NON_COMPLIANT',
          'aws_msk_cluster.clicks': 'NON_COMPLIANT',
        },
      },
    ];
    for (const row of rows) {
      it(`${row.plan}: one finding per resource, each with its verdict`, () => {
        // Act
        const report = check(row.plan);
        // Assess
        expect(report.unreadable).to.deep.equal([]);
        expect(verdicts(report)).to.deep.equal(row.expected);
        for (const item of report.findings)
          expect(item.resourceId.startsWith(item.logicalId ?? '-')).to.equal(true);
      });
    }
  });

  it('does not judge resources being deleted (an open route and its API are removed)', () => {
    // Act
    const report = check('lifecycle/plan.json');
    // Assess
    expect(report.findings.map((item) => item.resourceId)).not.to.include.members([
      'aws_apigatewayv2_route.beta_open',
      'aws_apigatewayv2_api.beta',
    ]);
  });

  describe('a route whose api_id is known only after apply is joined to its API through the references', () => {
    const report = check('routes/plan.json');
    const rows: readonly { readonly route: string; readonly annotation: string }[] = [
      {
        route: 'aws_apigatewayv2_route.create_order',
        annotation:
          'Route "POST /orders" of API "orders" (aws_apigatewayv2_api.orders) has no authorization (NONE)',
      },
      {
        route: 'aws_apigatewayv2_route.partner_webhook',
        annotation:
          'Route "POST /partners/webhook" of API "partners" (module.public_api.aws_apigatewayv2_api.this) has no authorization',
      },
      {
        route: 'aws_apigatewayv2_route.regional_status[1]',
        annotation: 'Route "GET /status" of API "regional-1" (aws_apigatewayv2_api.regional[1])',
      },
      {
        route: 'aws_apigatewayv2_route.ticker_default',
        annotation: 'WebSocket API "ticker" (aws_apigatewayv2_api.ticker) has no $connect route',
      },
      {
        route: 'aws_apigatewayv2_route.legacy',
        annotation: 'Route "GET /legacy" of API "API outside this plan" (a1b2c3d4e5)',
      },
    ];
    for (const row of rows) {
      it(row.route, () => {
        // Act
        const { annotation } = finding(report, row.route);
        // Assess
        expect(annotation).to.include(row.annotation);
      });
    }
  });

  describe('the front doors of the newer controls, as the plan writes them', () => {
    const report = check('front-doors/plan.json');
    const rows: readonly {
      readonly resourceId: string;
      readonly name: string;
      readonly annotation: string;
      readonly fix?: RegExp;
    }[] = [
      {
        resourceId: 'aws_api_gateway_method.get_order',
        name: 'shop GET /orders/{id}',
        annotation:
          'Method "GET /orders/{id}" of REST API "shop" (aws_api_gateway_rest_api.shop) requires AWS_IAM',
      },
      {
        resourceId: 'aws_api_gateway_method.root',
        name: 'shop ANY /',
        annotation: 'Method "ANY /" of REST API "shop"',
        fix: /aws_api_gateway_method\.root in front-doors\/plan\.json: set authorization = "AWS_IAM"/,
      },
      {
        resourceId: 'aws_api_gateway_method.create_order',
        name: 'shop POST /orders',
        annotation: 'An API key is required, but a key is a shared string, not an identity',
      },
      {
        resourceId: 'aws_api_gateway_rest_api.petstore/POST /pets',
        name: 'petstore POST /pets',
        annotation:
          'Method "POST /pets" of REST API "petstore" (aws_api_gateway_rest_api.petstore) has no authorization',
        fix: /give POST \/pets a security requirement in the OpenAPI body/,
      },
      {
        resourceId: 'aws_lambda_function_url.reports_live',
        name: 'reports:live URL',
        annotation: 'Function URL of "reports" alias "live" has AuthType NONE',
        fix: /set authorization_type = "AWS_IAM"/,
      },
      {
        resourceId: 'aws_lambda_function_url.payments_webhook',
        name: 'payments-webhook URL',
        annotation: 'Exception: handler verifies the payment provider HMAC signature',
      },
      {
        resourceId: 'aws_neptune_cluster.recommendations',
        name: 'aws_neptune_cluster.recommendations',
        annotation: 'does not require IAM database authentication (not set: off by default)',
        fix: /set iam_database_authentication_enabled = true/,
      },
    ];
    for (const row of rows) {
      it(`${row.resourceId}: ${row.annotation}`, () => {
        // Act
        const item = finding(report, row.resourceId);
        // Assess
        expect(item.resourceName).to.equal(row.name);
        expect(item.annotation).to.include(row.annotation);
        if (row.fix !== undefined) expect(item.remediation).to.match(row.fix);
      });
    }

    it('with ExemptCorsPreflightMethods=true the OPTIONS method passes, and only it', () => {
      // Act
      const exempt = checkTemplates([join(FIXTURES, 'front-doors', 'plan.json')], {
        now: NOW,
        exceptionPrefix: 'authn-exception',
        requireExpiry: false,
        relativeTo: FIXTURES,
        parameters: { ExemptCorsPreflightMethods: 'true' },
      });
      // Assess
      expect(finding(exempt, 'aws_api_gateway_method.orders_preflight').compliance).to.equal('COMPLIANT');
      expect(finding(exempt, 'aws_api_gateway_method.root').compliance).to.equal('NON_COMPLIANT');
    });

    it('a method on a PRIVATE-only API is ranked below internet-facing ones', () => {
      // Assess
      expect(finding(report, 'aws_api_gateway_method.internal_root').internetFacing).to.equal(false);
      expect(finding(report, 'aws_api_gateway_method.root').internetFacing).to.equal(true);
    });
  });

  describe('a value truly unknown at plan time cannot be verified before deploy', () => {
    const rows: readonly { readonly plan: string; readonly resourceId: string; readonly reason: string }[] = [
      {
        plan: 'routes/plan.json',
        resourceId: 'aws_apigatewayv2_route.regional_orders[0]',
        reason: 'cannot be verified before deploy: authorization_type is known only after apply',
      },
      {
        plan: 'data-services/plan.json',
        resourceId: 'aws_appsync_graphql_api.storefront',
        reason: 'cannot be verified before deploy: authentication_type is known only after apply',
      },
      {
        plan: 'data-services/plan.json',
        resourceId: 'module.cache.aws_elasticache_replication_group.secondary',
        reason: 'cannot be verified before deploy: engine_version is known only after apply',
      },
      {
        plan: 'front-doors/plan.json',
        resourceId: 'aws_neptune_cluster.staging',
        reason:
          'cannot be verified before deploy: iam_database_authentication_enabled is known only after apply',
      },
    ];
    for (const row of rows) {
      it(`${row.resourceId}: ${row.reason}`, () => {
        // Act
        const item = finding(check(row.plan), row.resourceId);
        // Assess
        expect(item.compliance).to.equal('NON_COMPLIANT');
        expect(item.annotation).to.include(row.reason);
        expect(item.remediation).to.match(/from values known at plan time/);
      });
    }

    it('an engine_version the configuration leaves out is the service default (latest), not unknown', () => {
      // Act
      const item = finding(
        check('data-services/plan.json'),
        'module.cache.aws_elasticache_replication_group.flags',
      );
      // Assess
      expect(item.annotation).to.include('(default, latest version)');
    });
  });

  describe('exceptions come from tags', () => {
    it('a route-level tag on the API exempts that route only', () => {
      // Act
      const report = check('routes/plan.json');
      // Assess
      expect(finding(report, 'aws_apigatewayv2_route.health').exception).to.deep.include({
        tagKey: 'authn-exception/APIGateway.8/GET /health',
        wide: false,
      });
      expect(finding(report, 'aws_apigatewayv2_route.create_order').exception).to.equal(null);
      expect(report.dangling).to.deep.equal([]);
    });

    it('a cluster tag with an expiry exempts the cluster', () => {
      // Act
      const item = finding(check('data-services/plan.json'), 'aws_msk_cluster.legacy');
      // Assess
      expect(item.annotation).to.equal(
        'Exception: legacy producers until the Q2 cut-over (expires 2099-06-30)',
      );
    });
  });

  describe('sensitive values appear in no output format', () => {
    const report = check('data-services/plan.json');
    it('the plan file itself holds them in clear text', () => {
      // Act
      const text = readFileSync(join(FIXTURES, 'data-services', 'plan.json'), 'utf8');
      // Assess
      for (const secret of SECRETS) expect(text).to.include(secret);
    });
    for (const format of FORMATS) {
      it(`${format}: no secret in the rendered report`, () => {
        // Act
        const rendered = render(report, format);
        // Assess
        expect(rendered).to.include('module.cache.aws_elasticache_replication_group.sessions');
        for (const secret of SECRETS) expect(rendered).not.to.include(secret);
      });
    }
  });

  describe('as a user runs it', function () {
    this.timeout(60_000);

    it('writes SARIF naming each failing resource by its full address, and exits 1', async () => {
      // Prepare
      const folder = mkdtempSync(join(tmpdir(), 'authn-plan-'));
      const plan = join(folder, 'plan.json');
      writeFileSync(plan, readFileSync(join(FIXTURES, 'data-services', 'plan.json')));
      const output = join(folder, 'results.sarif');
      // Act
      const run = await runCli(['check-template', plan, '--format', 'sarif', '--output', output]);
      // Assess
      expect(run.code, run.stderr).to.equal(1);
      const sarif = readFileSync(output, 'utf8');
      for (const secret of SECRETS) expect(sarif + run.stdout + run.stderr).not.to.include(secret);
      const results = (
        JSON.parse(sarif) as {
          runs: {
            results: {
              ruleId: string;
              locations: {
                physicalLocation: { artifactLocation: { uri: string } };
                logicalLocations: { name: string }[];
              }[];
            }[];
          }[];
        }
      ).runs[0]?.results;
      const sessions = results?.find(
        (result) =>
          result.locations[0]?.logicalLocations[0]?.name ===
          'module.cache.aws_elasticache_replication_group.sessions',
      );
      expect(sessions?.ruleId).to.equal('ElastiCache.6');
      expect(sessions?.locations[0]?.physicalLocation.artifactLocation.uri).to.match(/plan\.json$/);
    });

    it('refuses a plan Terraform itself marks errored, naming the file', async () => {
      // Prepare
      const folder = mkdtempSync(join(tmpdir(), 'authn-plan-'));
      const plan = join(folder, 'plan.json');
      writeFileSync(plan, JSON.stringify({ format_version: '1.2', errored: true, resource_changes: [] }));
      // Act
      const run = await runCli(['check-template', plan, '--format', 'json']);
      // Assess
      expect(run.code).not.to.equal(0);
      const report = JSON.parse(run.stdout) as { unreadable: { scope: string; error: string }[] };
      expect(report.unreadable[0]?.error).to.match(/errored/);
    });
  });
});
