/**
 * A local AWS API emulator (moto_server) on 127.0.0.1 and a free port, for the integration tests and the demo.
 * It is started by PID and stopped by PID; nothing but loopback is ever contacted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const MOTO_INSTALL_HINT =
  "moto_server (the AWS API emulator) is not installed. Install it with: pip install 'moto[server]'";

export interface Emulator {
  readonly endpoint: string;
  readonly pid: number;
  /** Clears every resource, so each test starts from an empty account. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** The path of moto_server, or undefined when it is not installed. */
export function findMotoServer(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`moto_server exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms (${lastError})`);
}

/**
 * moto 5.x stamps MSK clusters with a naive local time ("2026-11-25T16:59:00.123456"), which the SDK rightly
 * refuses as RFC 3339. The launcher gives the emulator's clusters a UTC offset before serving. moto 5.2 also stamps
 * AppSync Event APIs and channel namespaces (`created`, `lastModified`) with ISO strings where AppSync's API
 * reference says `number` (epoch seconds; the SDK's ListApis and ListChannelNamespaces throw on a string), so the
 * launcher stamps them in epoch seconds. Nothing else changes.
 */
const MOTO_LAUNCHER = `
import sys
from datetime import datetime, timezone
try:
    from moto.kafka import models as kafka_models
    _init = kafka_models.FakeKafkaCluster.__init__
    def _init_utc(self, *args, **kwargs):
        _init(self, *args, **kwargs)
        self.creation_time = datetime.now(timezone.utc).isoformat()
    kafka_models.FakeKafkaCluster.__init__ = _init_utc
except Exception as error:  # an emulator without this model still serves the other services
    print("kafka timestamp patch not applied:", error, file=sys.stderr)
try:
    import time
    from moto.appsync import models as appsync_models
    def _epoch_stamps(model, fields):
        _init = model.__init__
        def _init_epoch(self, *args, **kwargs):
            _init(self, *args, **kwargs)
            now = time.time()
            for field in fields:
                if hasattr(self, field):
                    setattr(self, field, now)
        model.__init__ = _init_epoch
    _epoch_stamps(appsync_models.EventsAPI, ("created",))
    _epoch_stamps(appsync_models.ChannelNamespace, ("created", "last_modified"))
except Exception as error:  # an emulator without Event APIs still serves the other services
    print("appsync timestamp patch not applied:", error, file=sys.stderr)
from moto.server import main
main(sys.argv[1:])
`;

/** The interpreter that has moto importable, or undefined (then plain moto_server is used). */
function pythonWithMoto(): string | undefined {
  const check = spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' });
  return check.status === 0 ? 'python3' : undefined;
}

export async function startEmulator(options: { timeoutMs?: number } = {}): Promise<Emulator> {
  const command = findMotoServer();
  if (command === undefined) throw new Error(MOTO_INSTALL_HINT);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const python = pythonWithMoto();
  const serverArgs = ['-H', '127.0.0.1', '-p', String(port)];
  const [program, args] =
    python === undefined ? [command, serverArgs] : [python, ['-c', MOTO_LAUNCHER, ...serverArgs]];
  const child = spawn(program, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('moto_server could not be started');
  try {
    await waitUntilUp(endpoint, child, options.timeoutMs ?? 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}`, { cause: error });
  }
  return {
    endpoint,
    pid,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    stop() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        process.kill(pid, 'SIGTERM');
      });
    },
  };
}

/** SDK settings that point every client at the emulator with throwaway credentials. */
export function emulatorClientSettings(endpoint: string, region = 'us-east-1') {
  return {
    region,
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    retryMode: 'adaptive' as const,
    maxAttempts: 2,
  };
}

/** Environment for a child process (the CLI) that should reach the emulator through the SDK's standard settings. */
export function emulatorEnvironment(endpoint: string, region = 'us-east-1'): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
