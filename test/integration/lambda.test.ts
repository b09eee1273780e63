/**
 * The bundled Lambda handlers, as Lambda would run them: service calls to moto_server, Config calls to a local
 * Config API stand-in (the emulator has no PutEvaluations), both on 127.0.0.1 through the SDK's standard settings.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiGatewayV2Client, DeleteRouteCommand } from '@aws-sdk/client-apigatewayv2';
import { bundleRule } from '../../scripts/bundle';
import { startConfigStub, type ConfigStub } from '../../scripts/config-stub';
import { emulatorClientSettings, emulatorEnvironment } from '../../scripts/emulator';
import { seedApiGateway } from '../../rules/apigwv2-route-authorization/sample';
import { useEmulator } from '../helpers/emulator';
import { scheduledEvent } from '../helpers/events';

type Handler = (event: unknown) => Promise<{ delivered: number; fallbackResourceType?: string }>;
const EVENTS = join(__dirname, '..', 'fixtures', 'events');

describe('integration: bundled Lambda handlers against moto_server and a Config stand-in', function () {
  this.timeout(120_000);
  const emulator = useEmulator();
  const outdir = mkdtempSync(join(tmpdir(), 'authn-lambda-'));
  const handlers = new Map<string, Handler>();
  let stub: ConfigStub;
  let savedEnv: NodeJS.ProcessEnv;

  before(async () => {
    // Powertools reads its log level when a handler module loads.
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    for (const folder of [
      'apigwv2-route-authorization',
      'msk-no-unauthenticated-access',
      'dms-mongodb-authentication',
    ]) {
      const report = await bundleRule(folder, outdir);
      handlers.set(folder, ((await import(report.outfile)) as { handler: Handler }).handler);
    }
  });

  beforeEach(async () => {
    stub = await startConfigStub();
    savedEnv = { ...process.env };
    Object.assign(process.env, emulatorEnvironment(emulator.current().endpoint, 'eu-west-1'), {
      AWS_ENDPOINT_URL_CONFIG_SERVICE: stub.endpoint,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
  });

  afterEach(async () => {
    process.env = savedEnv;
    await stub.stop();
  });

  const handler = (folder: string): Handler => {
    const found = handlers.get(folder);
    if (found === undefined) throw new Error(folder);
    return found;
  };

  it('APIGateway.8 reports its routes, then on the next run only the deleted one (NOT_APPLICABLE)', async () => {
    // Prepare
    const settings = emulatorClientSettings(emulator.current().endpoint, 'eu-west-1');
    const estate = await seedApiGateway(settings, new Date());
    // Act: two scheduled runs with a route deleted in between.
    const first = await handler('apigwv2-route-authorization')(scheduledEvent());
    const removed = estate.routes['POST /partners'] ?? '';
    await new ApiGatewayV2Client(settings).send(
      new DeleteRouteCommand({ ApiId: estate.partnerApiId, RouteId: removed }),
    );
    const second = await handler('apigwv2-route-authorization')(
      scheduledEvent({ notificationCreationTime: '2026-10-05T00:00:00.000Z' }),
    );
    // Assess: the first run sends the 6 COMPLIANT/NON_COMPLIANT routes (Config keeps no NOT_APPLICABLE result, so the
    // two WebSocket routes it would hold nothing for are not billed); the second only what changed.
    expect(first.delivered).to.equal(6);
    expect(second.delivered).to.equal(1);
    const cleanup = stub.received.filter((e) => e.ComplianceResourceId.endsWith(`/routes/${removed}`));
    expect(cleanup.map((e) => e.ComplianceType)).to.deep.equal(['NON_COMPLIANT', 'NOT_APPLICABLE']);
    expect(stub.results.size).to.equal(5); // 6 COMPLIANT/NON_COMPLIANT before, one route gone; N/A are not kept
    expect(stub.calls.get('GetComplianceDetailsByConfigRule')).to.equal(2);
  });

  it('re-reports every route on every run with ReportUnchanged=true', async () => {
    // Prepare
    await seedApiGateway(emulatorClientSettings(emulator.current().endpoint, 'eu-west-1'), new Date());
    const event = scheduledEvent({ ruleParameters: { ReportUnchanged: 'true' } });
    // Act
    const first = await handler('apigwv2-route-authorization')(event);
    const second = await handler('apigwv2-route-authorization')(event);
    // Assess
    expect([first.delivered, second.delivered]).to.deep.equal([8, 8]);
  });

  it('delivers every evaluation when Config throttles the first calls', async () => {
    // Prepare
    await seedApiGateway(emulatorClientSettings(emulator.current().endpoint, 'eu-west-1'), new Date());
    stub.setOptions({ throttleFirst: 2 });
    // Act
    const result = await handler('apigwv2-route-authorization')(scheduledEvent());
    // Assess
    expect(result.delivered).to.equal(6);
    expect(stub.results.size).to.equal(6);
    expect(stub.calls.get('PutEvaluations') ?? 0).to.be.greaterThan(1);
  });

  it('falls back to one evaluation per API when Config rejects the route resource type', async () => {
    // Prepare
    const estate = await seedApiGateway(
      emulatorClientSettings(emulator.current().endpoint, 'eu-west-1'),
      new Date(),
    );
    stub.setOptions({ rejectTypes: ['AWS::ApiGatewayV2::Route'] });
    // Act
    const result = await handler('apigwv2-route-authorization')(scheduledEvent());
    // Assess
    expect(result.fallbackResourceType).to.equal('AWS::ApiGatewayV2::Api');
    expect(stub.results.get(`AWS::ApiGatewayV2::Api|${estate.partnerApiId}`)?.ComplianceType).to.equal(
      'NON_COMPLIANT',
    );
    expect(stub.results.get(`AWS::ApiGatewayV2::Api|${estate.chatApiId}`)?.ComplianceType).to.equal(
      'COMPLIANT',
    );
  });

  it('MSK.6 (change-triggered) delivers the one evaluation of the changed cluster', async () => {
    // Prepare
    const event = JSON.parse(readFileSync(join(EVENTS, 'change-notification-msk.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    // Act: the sample event names an execution role; the emulator's STS lets it be assumed.
    const result = await handler('msk-no-unauthenticated-access')(event);
    // Assess
    expect(result.delivered).to.equal(1);
    expect([...stub.results.values()].map((e) => e.ComplianceType)).to.deep.equal(['COMPLIANT']);
  });

  it('DMS.11 fetches an oversized item from Config and evaluates it', async () => {
    // Prepare
    const history = JSON.parse(
      readFileSync(join(EVENTS, 'get-resource-config-history-response.json'), 'utf8'),
    ) as {
      configurationItems: { resourceType: string; resourceId: string; configuration: string }[];
    };
    const item = history.configurationItems[0];
    if (item === undefined) throw new Error('fixture');
    stub.history.set(`${item.resourceType}|${item.resourceId}`, {
      ...item,
      configuration: item.configuration.replace('"AuthType": "password"', '"AuthType": "no"'),
    });
    const event = JSON.parse(readFileSync(join(EVENTS, 'oversized-notification-dms.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    // Act
    const result = await handler('dms-mongodb-authentication')({ ...event, ruleParameters: '{}' });
    // Assess
    expect(result.delivered).to.equal(1);
    const stored = stub.results.get(`${item.resourceType}|${item.resourceId}`);
    expect(stored?.ComplianceType).to.equal('NON_COMPLIANT');
    expect(stored?.Annotation).to.include('AuthType=no');
  });

  it('fails the invocation when Config refuses the calls, saying what was not delivered', async () => {
    // Prepare
    await seedApiGateway(emulatorClientSettings(emulator.current().endpoint, 'eu-west-1'), new Date());
    stub.setOptions({ denyAll: true });
    // Act
    const outcome = await handler('apigwv2-route-authorization')(scheduledEvent()).then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    // Assess
    expect(outcome).to.match(/could not deliver 8 evaluation\(s\) \(0 delivered\)/);
    expect(stub.results.size).to.equal(0);
  });
});
