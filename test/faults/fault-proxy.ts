/**
 * A fault-injecting HTTP proxy on 127.0.0.1, put between the real SDK clients and the service they call (the Config
 * stand-in, or moto_server). It forwards every call unchanged unless told to answer it with a fault: throttling, a
 * 5xx server error, AccessDenied, no answer at all (the client's timeout must end it), or — for PutEvaluations —
 * some evaluations returned as FailedEvaluations instead of being forwarded. Errors are written in the protocol
 * the call used (AWS JSON 1.1 or the query protocol's XML), so the SDK parses them as it would AWS's own.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

export type Fault = 'throttle' | 'server-error' | 'unavailable' | 'deny' | 'hang';

export interface Call {
  /** The API operation (`PutEvaluations`, `AssumeRole`, `ListTagsForResource`, …). */
  readonly operation: string;
  /** Calls of this operation so far, this one included. */
  readonly count: number;
}

export interface EvaluationRef {
  readonly ComplianceResourceType: string;
  readonly ComplianceResourceId: string;
}

export interface FaultProxyOptions {
  /** The fault to answer a call with, or undefined to forward it. */
  readonly fault?: (call: Call) => Fault | undefined;
  /** PutEvaluations: the evaluations to return as FailedEvaluations (they are not forwarded). */
  readonly failEvaluation?: (evaluation: EvaluationRef) => boolean;
  /** Latency added before a call is answered, in milliseconds (for every call, or per call). */
  readonly latencyMs?: number | ((call: Call) => number);
}

export interface FaultProxy {
  readonly endpoint: string;
  /** Calls by operation (retries included). */
  readonly calls: Map<string, number>;
  /** Faults answered, by kind. */
  readonly injected: Map<Fault | 'failed-evaluation', number>;
  setOptions(options: FaultProxyOptions): void;
  stop(): Promise<void>;
}

/**
 * A deterministic share of calls (0–1): a low-discrepancy sequence, so the same calls fail on every run and a share
 * of 0.3 fails close to 30 % of any run of calls.
 */
export function share(fraction: number, offset = 0): () => boolean {
  let step = offset;
  return () => {
    step += 1;
    return fraction >= 1 || (step * 0.6180339887) % 1 < fraction;
  };
}

function operationOf(
  request: IncomingMessage,
  body: string,
): { operation: string; protocol: 'json' | 'query' } {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return { operation: target.split('.').pop() ?? target, protocol: 'json' };
  const action = new URLSearchParams(body).get('Action');
  if (action !== null) return { operation: action, protocol: 'query' };
  return {
    operation: `${request.method ?? 'GET'} ${(request.url ?? '/').split('?')[0] ?? '/'}`,
    protocol: 'json',
  };
}

const FAULTS: Record<Exclude<Fault, 'hang'>, { status: number; code: string; message: string }> = {
  throttle: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
  'server-error': { status: 500, code: 'InternalFailure', message: 'An internal error occurred (injected)' },
  unavailable: { status: 503, code: 'ServiceUnavailable', message: 'Service is unavailable (injected)' },
  deny: {
    status: 403,
    code: 'AccessDenied',
    message: 'User is not authorized to perform this action (injected)',
  },
};

function answerFault(
  response: ServerResponse,
  fault: Exclude<Fault, 'hang'>,
  protocol: 'json' | 'query',
  operation: string,
): void {
  const { status, code, message } = FAULTS[fault];
  if (protocol === 'query') {
    // The query protocol's error document; its throttling code is `Throttling`.
    const queryCode = fault === 'throttle' ? 'Throttling' : code;
    response.writeHead(status, { 'content-type': 'text/xml' });
    response.end(
      `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${queryCode}</Code>` +
        `<Message>${message}: ${operation}</Message></Error><RequestId>injected-fault</RequestId></ErrorResponse>`,
    );
    return;
  }
  const jsonCode = fault === 'deny' ? 'AccessDeniedException' : code;
  response.writeHead(fault === 'deny' ? 400 : status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify({ __type: jsonCode, message: `${message}: ${operation}` }));
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(
  target: URL,
  request: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, 'content-length': String(body.length) },
      },
      (answer) => {
        readAll(answer).then((content) => {
          resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: content });
        }, reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

export async function startFaultProxy(
  targetEndpoint: string,
  initial: FaultProxyOptions = {},
): Promise<FaultProxy> {
  const target = new URL(targetEndpoint);
  let options = initial;
  const calls = new Map<string, number>();
  const injected = new Map<Fault | 'failed-evaluation', number>();
  const count = (kind: Fault | 'failed-evaluation', by = 1): void => {
    injected.set(kind, (injected.get(kind) ?? 0) + by);
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      let body = await readAll(request);
      const { operation, protocol } = operationOf(request, body.toString('utf8'));
      calls.set(operation, (calls.get(operation) ?? 0) + 1);
      const call: Call = { operation, count: calls.get(operation) ?? 0 };
      const latency =
        typeof options.latencyMs === 'function' ? options.latencyMs(call) : (options.latencyMs ?? 0);
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      const fault = options.fault?.(call);
      if (fault === 'hang') {
        // Answer nothing; the connection stays open until the client gives up or the proxy stops.
        count('hang');
        return;
      }
      if (fault !== undefined) {
        count(fault);
        answerFault(response, fault, protocol, operation);
        return;
      }
      let failed: unknown[] = [];
      if (operation === 'PutEvaluations' && options.failEvaluation !== undefined) {
        const sent = JSON.parse(body.toString('utf8')) as { Evaluations?: EvaluationRef[] };
        const all = sent.Evaluations ?? [];
        const failEvaluation = options.failEvaluation;
        failed = all.filter((evaluation) => failEvaluation(evaluation));
        count('failed-evaluation', failed.length);
        body = Buffer.from(
          JSON.stringify({ ...sent, Evaluations: all.filter((evaluation) => !failed.includes(evaluation)) }),
        );
      }
      const answer = await forward(target, request, body);
      if (failed.length > 0 && answer.status === 200) {
        const parsed = JSON.parse(answer.body.toString('utf8')) as { FailedEvaluations?: unknown[] };
        const merged = Buffer.from(
          JSON.stringify({ ...parsed, FailedEvaluations: [...(parsed.FailedEvaluations ?? []), ...failed] }),
        );
        response.writeHead(200, {
          'content-type': 'application/x-amz-json-1.1',
          'content-length': String(merged.length),
        });
        response.end(merged);
        return;
      }
      const headers = { ...answer.headers };
      delete headers['transfer-encoding'];
      headers['content-length'] = String(answer.body.length);
      response.writeHead(answer.status, headers);
      response.end(answer.body);
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`fault proxy: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    injected,
    setOptions(next) {
      options = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
