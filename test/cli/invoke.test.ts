/** `authn-pack invoke`: the rule's real handler on a captured event, run as a user runs it. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorClientSettings, emulatorEnvironment } from '../../scripts/emulator';
import { seedApiGateway } from '../../rules/apigwv2-route-authorization/sample';
import { useEmulator } from '../helpers/emulator';
import { runCli } from '../helpers/cli';
import { scheduledEvent } from '../helpers/events';

const EVENTS = join(__dirname, '..', 'fixtures', 'events');

interface Printed {
  evaluations: {
    ComplianceResourceType: string;
    ComplianceResourceId: string;
    ComplianceType: string;
    Annotation?: string;
    OrderingTimestamp: string;
  }[];
}

describe('cli invoke', function () {
  this.timeout(60_000);

  it('runs a change-triggered rule on a Config event and prints PutEvaluations-shaped JSON without calling AWS', async () => {
    // Prepare: the sample MSK event names an execution role; a dry run of a change event needs no AWS call at all.
    const env = { ...emulatorEnvironment('http://127.0.0.1:9'), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    // Act
    const run = await runCli(
      ['invoke', 'MSK.6', '--event', join(EVENTS, 'change-notification-msk.json'), '--dry-run'],
      { env },
    );
    // Assess
    expect(run.code, run.stderr).to.equal(0);
    const printed = JSON.parse(run.stdout) as Printed;
    expect(printed.evaluations).to.deep.equal([
      {
        ComplianceResourceType: 'AWS::MSK::Cluster',
        ComplianceResourceId:
          'arn:aws:kafka:eu-west-1:444455556666:cluster/clickstream/5f1e7c2a-9d3b-4a6e-8c1f-0e2d4b6a8c9e-3',
        ComplianceType: 'COMPLIANT',
        Annotation: 'MSK cluster "clickstream" requires client authentication (IAM).',
        OrderingTimestamp: '2026-10-02T08:41:17.512Z',
      },
    ]);
  });

  it('reports a deleted resource NOT_APPLICABLE', async () => {
    // Act
    const run = await runCli([
      'invoke',
      'AppSync.5',
      '--event',
      join(EVENTS, 'resource-deleted-appsync.json'),
      '--dry-run',
    ]);
    // Assess
    expect(run.code, run.stderr).to.equal(0);
    const printed = JSON.parse(run.stdout) as Printed;
    expect(printed.evaluations.map((e) => e.ComplianceType)).to.deep.equal(['NOT_APPLICABLE']);
  });

  it('reads the event from standard input with --event -', async () => {
    // Act
    const run = await runCli(['invoke', 'authn-msk-no-unauthenticated-access', '--event', '-', '--dry-run'], {
      input: readFileSync(join(EVENTS, 'change-notification-msk.json'), 'utf8'),
    });
    // Assess
    expect(run.code, run.stderr).to.equal(0);
    expect((JSON.parse(run.stdout) as Printed).evaluations).to.have.length(1);
  });

  it('exits non-zero with a clear message and prints no evaluations for a malformed event', async () => {
    // Act
    const run = await runCli(['invoke', 'MSK.6', '--event', '-', '--dry-run'], {
      input: JSON.stringify({ invokingEvent: '{"messageType": "ConfigurationItemChangeNotification"}' }),
    });
    // Assess
    expect(run.code).to.not.equal(0);
    expect(run.stderr).to.match(/Malformed Config rule event|missing/);
    expect(run.stdout).to.not.include('evaluations');
  });

  it('exits non-zero when the event is not JSON', async () => {
    // Act
    const run = await runCli(['invoke', 'MSK.6', '--event', '-', '--dry-run'], { input: '{not json' });
    // Assess
    expect(run.code).to.not.equal(0);
    expect(run.stderr).to.include('not JSON');
    expect(run.stdout).to.equal('');
  });

  it('refuses an unknown parameter value before evaluating anything, naming the parameter', async () => {
    // Prepare
    const event = scheduledEvent({ ruleParameters: { authorizationType: 'BASIC' } });
    // Act
    const run = await runCli(['invoke', 'APIGateway.8', '--event', '-', '--dry-run'], {
      input: JSON.stringify(event),
    });
    // Assess
    expect(run.code).to.not.equal(0);
    expect(run.stderr).to.include('authorizationType');
    expect(run.stdout).to.equal('');
  });

  it('refuses an oversized notification in a dry run, which would need a Config call', async () => {
    // Prepare: the DMS rule, so the item is of the rule's type and would need fetching.
    // Act
    const run = await runCli([
      'invoke',
      'DMS.11',
      '--event',
      join(EVENTS, 'oversized-notification-dms.json'),
      '--dry-run',
    ]);
    // Assess
    expect(run.code).to.not.equal(0);
    expect(run.stderr).to.include('GetResourceConfigHistory');
    expect(run.stdout).to.equal('');
  });

  it('rejects an unknown control and lists the known ones', async () => {
    // Act
    const run = await runCli([
      'invoke',
      'S3.1',
      '--event',
      join(EVENTS, 'scheduled-notification.json'),
      '--dry-run',
    ]);
    // Assess
    expect(run.code).to.not.equal(0);
    expect(run.stderr).to.include('APIGateway.8');
  });

  describe('periodic rules against moto_server (AWS_ENDPOINT_URL)', () => {
    const emulator = useEmulator();

    it('sweeps the region of the event rule ARN and says stale cleanup was skipped', async () => {
      // Prepare
      const endpoint = emulator.current().endpoint;
      const estate = await seedApiGateway(emulatorClientSettings(endpoint, 'eu-west-1'), new Date());
      const event = scheduledEvent();
      // Act
      const run = await runCli(['invoke', 'APIGateway.8', '--event', '-', '--dry-run'], {
        env: emulatorEnvironment(endpoint, 'us-east-1'),
        input: JSON.stringify(event),
      });
      // Assess
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.include('stale cleanup skipped');
      const printed = JSON.parse(run.stdout) as Printed;
      expect(printed.evaluations).to.have.length(8);
      const openRoute = printed.evaluations.find((e) =>
        e.ComplianceResourceId.endsWith(`/routes/${estate.routes['POST /partners'] ?? 'missing'}`),
      );
      expect(openRoute).to.deep.include({
        ComplianceResourceType: 'AWS::ApiGatewayV2::Route',
        ComplianceResourceId: `arn:aws:apigateway:eu-west-1::/apis/${estate.partnerApiId}/routes/${estate.routes['POST /partners'] ?? ''}`,
        ComplianceType: 'NON_COMPLIANT',
        OrderingTimestamp: '2026-10-04T00:00:00.000Z',
      });
    });

    it('uses --region over the event when given', async () => {
      // Prepare
      const endpoint = emulator.current().endpoint;
      await seedApiGateway(emulatorClientSettings(endpoint, 'us-west-2'), new Date());
      // Act
      const run = await runCli(
        ['invoke', 'APIGateway.8', '--event', '-', '--dry-run', '--region', 'us-west-2'],
        {
          env: emulatorEnvironment(endpoint),
          input: JSON.stringify(scheduledEvent()),
        },
      );
      // Assess
      expect(run.code, run.stderr).to.equal(0);
      const printed = JSON.parse(run.stdout) as Printed;
      expect(printed.evaluations).to.have.length(8);
      expect(
        printed.evaluations.every((e) => e.ComplianceResourceId.startsWith('arn:aws:apigateway:us-west-2::')),
      ).to.be.true;
    });

    it('fails the invocation, printing no evaluations, when the service cannot be read', async () => {
      // Prepare: nothing listens on port 9.
      const env = emulatorEnvironment('http://127.0.0.1:9');
      // Act
      const run = await runCli(['invoke', 'ElastiCache.6', '--event', '-', '--dry-run'], {
        env,
        input: JSON.stringify(scheduledEvent()),
      });
      // Assess
      expect(run.code).to.not.equal(0);
      expect(run.stderr).to.include('sweep');
      expect(run.stdout).to.equal('');
    });
  });
});
