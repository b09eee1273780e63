/**
 * Every sweep with the real SDK clients against moto_server on 127.0.0.1, seeded through the SDK.
 * Emulator gaps (stated where they shape an expectation): DescribeCacheClusters does not list replication-group
 * members, so engine versions are unknown there; GetApis/GetRoutes do not page.
 */
import { expect } from 'chai';
import { ApiGatewayV2Client, CreateApiCommand, CreateRouteCommand } from '@aws-sdk/client-apigatewayv2';
import { decideSwept } from '../../rules/core/decide';
import type { AnyRule, ClientSettings, Compliance } from '../../rules/core/types';
import { findRule } from '../../rules/index';
import { emulatorClientSettings } from '../../scripts/emulator';
import { seedSampleEstate } from '../../scripts/sample-estate';
import { useEmulator } from '../helpers/emulator';

const CONTEXT = { accountId: '123456789012', region: 'us-east-1', partition: 'aws' };
const TODAY = new Date('2026-11-25T12:00:00Z');

function rule(control: string): AnyRule {
  const found = findRule(control);
  if (found === undefined) throw new Error(control);
  return found;
}

function defaults(target: AnyRule): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(target.parameters).map(([name, spec]) => [name, spec.parse(undefined, name)]),
  );
}

async function verdicts(
  control: string,
  endpoint: string,
): Promise<Map<string, { compliance: Compliance; annotation: string }>> {
  const target = rule(control);
  const settings: ClientSettings & { endpoint: string } = emulatorClientSettings(endpoint);
  const swept = await target.sweep(target.service.createClient(settings), CONTEXT);
  const result = new Map<string, { compliance: Compliance; annotation: string }>();
  for (const resource of swept) {
    const verdict = await decideSwept(target, resource, defaults(target), {
      prefix: 'authn-exception',
      requiresExpiry: false,
      today: '2026-11-25',
    });
    result.set(resource.resourceName, verdict);
  }
  return result;
}

describe('integration: sweeps against moto_server', function () {
  this.timeout(60_000);
  const emulator = useEmulator();

  beforeEach(async () => {
    await seedSampleEstate(emulatorClientSettings(emulator.current().endpoint), TODAY);
  });

  it('APIGateway.8 reports every route by ARN, honours the GET /health exception and judges WebSocket routes through $connect', async () => {
    // Act
    const found = await verdicts('APIGateway.8', emulator.current().endpoint);
    // Assess
    expect([...found.keys()]).to.have.members([
      'partner-api GET /health',
      'partner-api GET /partners/{id}',
      'partner-api POST /partners',
      'partner-api GET /orders',
      'partner-api POST /orders',
      'chat-ws $connect',
      'chat-ws $default',
      'chat-ws sendMessage',
    ]);
    expect(found.get('partner-api GET /health')?.compliance).to.equal('COMPLIANT');
    expect(found.get('partner-api GET /health')?.annotation).to.match(
      /^Exception: public load balancer health probe/,
    );
    expect(found.get('partner-api GET /partners/{id}')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('partner-api POST /partners')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('partner-api GET /orders')?.compliance).to.equal('COMPLIANT');
    expect(found.get('chat-ws $connect')?.compliance).to.equal('COMPLIANT');
    expect(found.get('chat-ws sendMessage')?.compliance).to.equal('NOT_APPLICABLE');
  });

  it('APIGateway.8 names each route by its ARN in the sweep region', async () => {
    // Prepare
    const settings = emulatorClientSettings(emulator.current().endpoint);
    const client = new ApiGatewayV2Client(settings);
    const api = await client.send(new CreateApiCommand({ Name: 'arn-check', ProtocolType: 'HTTP' }));
    const route = await client.send(
      new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /x', AuthorizationType: 'AWS_IAM' }),
    );
    const target = rule('APIGateway.8');
    // Act
    const swept = await target.sweep(target.service.createClient(settings), CONTEXT);
    // Assess
    expect(swept.map((resource) => resource.resourceId)).to.include(
      `arn:aws:apigateway:us-east-1::/apis/${api.ApiId ?? ''}/routes/${route.RouteId ?? ''}`,
    );
  });

  it('ElastiCache.6 fails the Redis 5.0.6 group without AUTH, naming its version, and passes the one with a token', async () => {
    // Act
    const found = await verdicts('ElastiCache.6', emulator.current().endpoint);
    // Assess
    expect(found.get('sessions-legacy')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('sessions-legacy')?.annotation).to.include('runs Redis OSS 5.0.6 without an AUTH token');
    expect(found.get('sessions-legacy')?.annotation).to.include('in-transit encryption');
    expect(found.get('carts')?.compliance).to.equal('COMPLIANT');
  });

  it('ElastiCache.6 honours an exception tag read with ListTagsForResource', async () => {
    // Prepare
    const { ElastiCacheClient, AddTagsToResourceCommand } = await import('@aws-sdk/client-elasticache');
    const settings = emulatorClientSettings(emulator.current().endpoint);
    await new ElastiCacheClient(settings).send(
      new AddTagsToResourceCommand({
        ResourceName: 'arn:aws:elasticache:us-east-1:123456789012:replicationgroup:sessions-legacy',
        Tags: [{ Key: 'authn-exception/ElastiCache.6', Value: 'decommissioned with the legacy shop in Q1' }],
      }),
    );
    // Act
    const found = await verdicts('ElastiCache.6', emulator.current().endpoint);
    // Assess
    expect(found.get('sessions-legacy')).to.deep.equal({
      compliance: 'COMPLIANT',
      code: 'redis-auth-missing',
      annotation: 'Exception: decommissioned with the legacy shop in Q1 (no expiry)',
    });
  });

  it('AppSync.5 fails API-key APIs (only, and beside IAM) and passes IAM-only', async () => {
    // Act
    const found = await verdicts('AppSync.5', emulator.current().endpoint);
    // Assess
    expect(found.get('reviews-public')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('catalog')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('catalog')?.annotation).to.include('AWS_IAM');
    expect(found.get('orders-graph')?.compliance).to.equal('COMPLIANT');
  });

  it('MSK.6 fails the cluster with unauthenticated access beside IAM and passes IAM-only', async () => {
    // Act
    const found = await verdicts('MSK.6', emulator.current().endpoint);
    // Assess
    expect(found.get('clickstream')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('clickstream')?.annotation).to.include('IAM');
    expect(found.get('payments-events')?.compliance).to.equal('COMPLIANT');
  });

  it('Neptune.7 fails the Neptune cluster without IAM database authentication and sees no other engine', async () => {
    // Prepare: an Aurora cluster beside it on the same RDS API (moto refuses IAM auth on Neptune, not on Aurora).
    const { NeptuneClient, CreateDBClusterCommand } = await import('@aws-sdk/client-neptune');
    await new NeptuneClient(emulatorClientSettings(emulator.current().endpoint)).send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'ledger',
        Engine: 'aurora-postgresql',
        MasterUsername: 'ledger_admin',
        MasterUserPassword: 'not-a-real-secret-0001',
        EnableIAMDatabaseAuthentication: true,
      }),
    );
    // Act
    const found = await verdicts('Neptune.7', emulator.current().endpoint);
    // Assess
    expect([...found.keys()]).to.deep.equal(['fraud-graph']);
    expect(found.get('fraud-graph')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('fraud-graph')?.annotation).to.include('Neptune has no passwords');
  });

  it('AUTHN-LAMBDA-URL reads every URL although the emulator does not serve ListFunctionUrlConfigs, and honours the webhook exception', async () => {
    // Act: moto 5.2 answers ListFunctionUrlConfigs with a 404 page; the sweep falls back to GetFunctionUrlConfig.
    const found = await verdicts('AUTHN-LAMBDA-URL', emulator.current().endpoint);
    // Assess
    expect([...found.keys()]).to.have.members(['stripe-webhook', 'orders-export', 'reports-api']);
    expect(found.get('stripe-webhook')?.compliance).to.equal('COMPLIANT');
    expect(found.get('stripe-webhook')?.annotation).to.match(
      /^Exception: Stripe webhook: handler verifies the Stripe-Signature HMAC/,
    );
    expect(found.get('orders-export')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('orders-export')?.annotation).to.include('AuthType NONE');
    expect(found.get('reports-api')?.compliance).to.equal('COMPLIANT');
  });

  it('AUTHN-APIGW-REST judges every REST method, honours the GET /health exception and fails an API key alone', async () => {
    // Act
    const found = await verdicts('AUTHN-APIGW-REST', emulator.current().endpoint);
    // Assess
    expect([...found.keys()]).to.have.members([
      'shop-rest GET /health',
      'shop-rest GET /orders',
      'shop-rest POST /orders',
      'shop-rest OPTIONS /orders',
      'ledger-private GET /entries',
    ]);
    expect(found.get('shop-rest GET /health')?.annotation).to.match(/^Exception: load balancer health probe/);
    expect(found.get('shop-rest GET /orders')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('shop-rest POST /orders')?.compliance).to.equal('COMPLIANT');
    expect(found.get('shop-rest OPTIONS /orders')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('ledger-private GET /entries')?.compliance).to.equal('NON_COMPLIANT');
  });

  it('AUTHN-APPSYNC-EVENTS reads every Event API with its namespaces, fails the namespace key and honours the scoreboard exception', async () => {
    // Act
    const found = await verdicts('AUTHN-APPSYNC-EVENTS', emulator.current().endpoint);
    // Assess
    expect([...found.keys()]).to.have.members(['scoreboard', 'chat', 'orders-events']);
    expect(found.get('scoreboard')?.compliance).to.equal('COMPLIANT');
    expect(found.get('scoreboard')?.annotation).to.match(/^Exception: public scoreboard feed/);
    expect(found.get('chat')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('chat')?.annotation).to.match(/accepts API keys \(namespace "moderation" publish\)/);
    expect(found.get('orders-events')?.compliance).to.equal('COMPLIANT');
  });

  it('DMS.11 fails the MongoDB endpoint with AuthType no and never repeats the password', async () => {
    // Act
    const found = await verdicts('DMS.11', emulator.current().endpoint);
    // Assess
    expect(found.get('catalog-mongo-source')?.compliance).to.equal('NON_COMPLIANT');
    expect(found.get('orders-mongo-target')?.compliance).to.equal('COMPLIANT');
    expect(JSON.stringify([...found.values()])).not.to.include('not-a-real-secret');
  });
});
