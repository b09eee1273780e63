/** `authn-pack invoke hook`: the deploy-time hook's real handler on a captured request, run as a user runs it. */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { emulatorClientSettings, emulatorEnvironment } from '../../scripts/emulator';
import { runCli } from '../helpers/cli';
import { useEmulator } from '../helpers/emulator';
import { HOOK_SAMPLES } from '../helpers/hook';

interface Printed {
  hookStatus: string;
  errorCode?: string;
  message: string;
  clientRequestToken?: string;
}

/** No service is reachable: a request that needs none must not try. */
const OFFLINE = { ...emulatorEnvironment('http://127.0.0.1:9'), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };

describe('cli invoke hook', function () {
  this.timeout(60_000);

  it('prints the hook response for a captured request, without any AWS call', async () => {
    // Act
    const run = await runCli(
      ['invoke', 'hook', '--event', join(HOOK_SAMPLES, 'msk6-unauthenticated-beside-iam.json')],
      { env: OFFLINE },
    );
    // Assess
    expect(run.code, run.stderr).to.equal(0);
    const printed = JSON.parse(run.stdout) as Printed;
    expect(printed).to.deep.include({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      clientRequestToken: 'a9d7c8ba-b1c4-45d6-e0f7-18293a4b5c67',
    });
    expect(printed.message).to.match(/^\[MSK\.6 authn-msk-no-unauthenticated-access\] ClickstreamCluster /);
  });

  it('reads the request from standard input with --event -', async () => {
    // Act
    const run = await runCli(['invoke', 'hook', '--event', '-'], {
      env: OFFLINE,
      input: readFileSync(join(HOOK_SAMPLES, 'appsync5-cognito-with-iam.json'), 'utf8'),
    });
    // Assess
    expect(run.code, run.stderr).to.equal(0);
    expect((JSON.parse(run.stdout) as Printed).hookStatus).to.equal('SUCCESS');
  });

  it('prints FAILED with InternalFailure for a malformed request', async () => {
    // Act
    const run = await runCli(
      ['invoke', 'hook', '--event', join(HOOK_SAMPLES, 'malformed-no-request-data.json')],
      { env: OFFLINE },
    );
    // Assess
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout) as Printed).to.deep.include({
      hookStatus: 'FAILED',
      errorCode: 'InternalFailure',
    });
  });

  it('exits 2 with a usage error when the file is not JSON', async () => {
    // Act
    const run = await runCli(['invoke', 'hook', '--event', '-'], { env: OFFLINE, input: '{"requestData":' });
    // Assess
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('hook request in standard input is not JSON');
    expect(run.stdout).to.equal('');
  });

  describe('a route request against moto_server (AWS_ENDPOINT_URL)', () => {
    const emulator = useEmulator();

    it('reads the route’s API where the SDK configuration points', async () => {
      // Prepare: the sample names API a1b2c3d4e5; point it at an API the emulator has.
      const endpoint = emulator.current().endpoint;
      const api = await new ApiGatewayV2Client(emulatorClientSettings(endpoint, 'us-east-1')).send(
        new CreateApiCommand({ Name: 'partner-api', ProtocolType: 'HTTP' }),
      );
      const folder = mkdtempSync(join(tmpdir(), 'authn-pack-hook-'));
      const file = join(folder, 'route.json');
      writeFileSync(
        file,
        readFileSync(join(HOOK_SAMPLES, 'apigateway8-route-no-authorization.json'), 'utf8').replace(
          '"a1b2c3d4e5"',
          JSON.stringify(api.ApiId),
        ),
      );
      try {
        // Act
        const run = await runCli(['invoke', 'hook', '--event', file], { env: emulatorEnvironment(endpoint) });
        // Assess
        expect(run.code, run.stderr).to.equal(0);
        const printed = JSON.parse(run.stdout) as Printed;
        expect(printed).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
        expect(printed.message).to.include(
          `Route "POST /partners" of API "partner-api" (${api.ApiId ?? ''})`,
        );
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it('fails closed, InternalFailure, when the API cannot be reached', async () => {
      // Act
      const run = await runCli(
        ['invoke', 'hook', '--event', join(HOOK_SAMPLES, 'apigateway8-route-jwt.json')],
        { env: OFFLINE },
      );
      // Assess
      expect(run.code, run.stderr).to.equal(0);
      const printed = JSON.parse(run.stdout) as Printed;
      expect(printed).to.deep.include({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
      expect(printed.message).to.include('API a1b2c3d4e5 could not be read (GetApi)');
    });
  });
});
