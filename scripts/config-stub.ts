/**
 * A stand-in for the AWS Config API on 127.0.0.1 (the emulator does not implement PutEvaluations or compliance
 * reads): speaks the real JSON 1.1 protocol, so the real SDK client and the bundled Lambdas talk to it unchanged.
 * It stores evaluations as Config would (latest per resource), pages compliance results, and can inject faults.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { TokenBucket, type RateLimit } from '../rules/core/rate-limit';

export interface StoredEvaluation {
  readonly ComplianceResourceType: string;
  readonly ComplianceResourceId: string;
  readonly ComplianceType: string;
  readonly Annotation?: string;
  readonly OrderingTimestamp: number | string;
}

export interface ConfigStubOptions {
  /** Latency added to every call, in milliseconds. */
  readonly latencyMs?: number;
  /** Answer ThrottlingException to this share of calls (0–1), decided by a seeded sequence. */
  readonly throttleShare?: number;
  /** Answer ThrottlingException to the first N calls of each operation. */
  readonly throttleFirst?: number;
  /** Answer AccessDeniedException to every call (a missing permission). */
  readonly denyAll?: boolean;
  /** Resource types PutEvaluations refuses as Config did in 2020 ("The resource type … is invalid"). */
  readonly rejectTypes?: readonly string[];
  /** A token bucket per operation: a call that finds its bucket empty gets ThrottlingException (a quota). */
  readonly rateLimits?: Readonly<Record<string, RateLimit>>;
  /**
   * The stand-in's clock (epoch ms) for ResultRecordedTime and StartConfigRulesEvaluation's one-a-minute limit;
   * default Date.now, so tests can let days pass.
   */
  readonly now?: () => number;
  /** Called after StartConfigRulesEvaluation accepted a start (a test runs the rule's invocation from here). */
  readonly onStart?: (ruleNames: readonly string[]) => void;
}

export interface ConfigStub {
  readonly endpoint: string;
  /** Every call by operation name. */
  readonly calls: Map<string, number>;
  /** Calls answered ThrottlingException (injected or over a rate limit), by operation name. */
  readonly throttledCalls: Map<string, number>;
  /** Most calls in flight at once. */
  peakInFlight(): number;
  /** Latest evaluation per `type|id`, as Config keeps them. */
  readonly results: Map<string, StoredEvaluation>;
  /** When each held result was recorded (epoch ms, the stand-in's clock), by `type|id`: ResultRecordedTime. */
  readonly recordedAt: Map<string, number>;
  /** Evaluations received, in order (duplicates included). */
  readonly received: StoredEvaluation[];
  /** Items GetResourceConfigHistory returns, by `type|id`. */
  readonly history: Map<string, unknown>;
  /** Accepted StartConfigRulesEvaluation calls: the rule names and the stub's clock at the call. */
  readonly starts: { readonly ruleNames: readonly string[]; readonly at: number }[];
  setOptions(options: ConfigStubOptions): void;
  stop(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** The JSON 1.1 protocol carries timestamps as epoch seconds; fixtures hold ISO strings. */
function toWireTimestamps(item: unknown): unknown {
  if (typeof item !== 'object' || item === null) return item;
  const copy: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const key of ['configurationItemCaptureTime', 'resourceCreationTime']) {
    const value = copy[key];
    if (typeof value === 'string') copy[key] = Date.parse(value) / 1000;
  }
  return copy;
}

export async function startConfigStub(initial: ConfigStubOptions = {}): Promise<ConfigStub> {
  let options = initial;
  const bucketsFor = (next: ConfigStubOptions): Map<string, TokenBucket> =>
    new Map(
      Object.entries(next.rateLimits ?? {}).map(([operation, limit]) => [operation, new TokenBucket(limit)]),
    );
  let buckets = bucketsFor(initial);
  const calls = new Map<string, number>();
  const throttledCalls = new Map<string, number>();
  let inFlight = 0;
  let peak = 0;
  // GetComplianceDetailsByConfigRule pages through a snapshot taken on a listing's first page (100,000 results
  // in 1,000 pages would otherwise copy the map a thousand times).
  let snapshot: StoredEvaluation[] | undefined;
  const results = new Map<string, StoredEvaluation>();
  const recordedAt = new Map<string, number>();
  const received: StoredEvaluation[] = [];
  const history = new Map<string, unknown>();
  const starts: { ruleNames: readonly string[]; at: number }[] = [];
  const lastStart = new Map<string, number>();
  let sequence = 0;
  const throttled = (operation: string): boolean => {
    sequence += 1;
    const count = calls.get(operation) ?? 0;
    if (options.throttleFirst !== undefined && count <= options.throttleFirst) return true;
    // A fixed low-discrepancy sequence: the same share is throttled on every run.
    return options.throttleShare !== undefined && (sequence * 0.6180339887) % 1 < options.throttleShare;
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
      calls.set(operation, (calls.get(operation) ?? 0) + 1);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      response.on('close', () => {
        inFlight -= 1;
      });
      const overQuota = buckets.get(operation)?.tryTake() === false;
      const body = await readBody(request);
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      if (options.denyAll === true) {
        send(response, 400, {
          __type: 'AccessDeniedException',
          message: `not authorized to perform config:${operation}`,
        });
        return;
      }
      if (throttled(operation) || overQuota) {
        throttledCalls.set(operation, (throttledCalls.get(operation) ?? 0) + 1);
        send(response, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
        return;
      }
      switch (operation) {
        case 'PutEvaluations': {
          const evaluations = (body.Evaluations ?? []) as StoredEvaluation[];
          if (evaluations.length > 100) {
            send(response, 400, {
              __type: 'ValidationException',
              message:
                "1 validation error detected: Value at 'evaluations' failed to satisfy constraint: Member must have length less than or equal to 100",
            });
            return;
          }
          const rejected = evaluations.find((e) => options.rejectTypes?.includes(e.ComplianceResourceType));
          if (rejected !== undefined) {
            send(response, 400, {
              __type: 'InvalidParameterValueException',
              message: `The resource type ${rejected.ComplianceResourceType} is invalid. Only the following values are permitted: AWS::EC2::CustomerGateway, AWS::EC2::EIP`,
            });
            return;
          }
          if (body.TestMode !== true) {
            for (const evaluation of evaluations) {
              received.push(evaluation);
              const key = `${evaluation.ComplianceResourceType}|${evaluation.ComplianceResourceId}`;
              if (evaluation.ComplianceType === 'NOT_APPLICABLE') {
                results.delete(key);
                recordedAt.delete(key);
              } else {
                results.set(key, evaluation);
                recordedAt.set(key, (options.now ?? Date.now)());
              }
            }
          }
          send(response, 200, { FailedEvaluations: [] });
          return;
        }
        case 'GetComplianceDetailsByConfigRule': {
          const limit = Math.min(Number(body.Limit ?? 10), 100);
          const start = Number(body.NextToken ?? 0);
          // A listing starts afresh on its first page and pages through that snapshot.
          if (body.NextToken === undefined || snapshot === undefined) snapshot = [...results.values()];
          const all = snapshot;
          const page = all.slice(start, start + limit);
          const recordedOf = (e: StoredEvaluation): number =>
            recordedAt.get(`${e.ComplianceResourceType}|${e.ComplianceResourceId}`) ?? 0;
          send(response, 200, {
            EvaluationResults: page.map((e) => ({
              EvaluationResultIdentifier: {
                EvaluationResultQualifier: {
                  ConfigRuleName: body.ConfigRuleName,
                  ResourceType: e.ComplianceResourceType,
                  ResourceId: e.ComplianceResourceId,
                },
              },
              ComplianceType: e.ComplianceType,
              // The JSON 1.1 protocol carries timestamps as epoch seconds.
              ResultRecordedTime: recordedOf(e) / 1000,
              ...(e.Annotation === undefined ? {} : { Annotation: e.Annotation }),
            })),
            ...(start + limit < all.length ? { NextToken: String(start + limit) } : {}),
          });
          return;
        }
        case 'GetResourceConfigHistory': {
          const item = history.get(`${String(body.resourceType)}|${String(body.resourceId)}`);
          if (item === undefined) {
            send(response, 400, {
              __type: 'ResourceNotDiscoveredException',
              message: 'Resource not discovered',
            });
            return;
          }
          send(response, 200, { configurationItems: [toWireTimestamps(item)] });
          return;
        }
        case 'StartConfigRulesEvaluation': {
          // Config: "thrown if an evaluation is in progress or if you call the StartConfigRulesEvaluation API more
          // than once per minute" (LimitExceededException); the stub enforces the minute.
          const names = (body.ConfigRuleNames ?? []) as string[];
          const now = (options.now ?? Date.now)();
          const early = names.find((name) => now - (lastStart.get(name) ?? -Infinity) < 60_000);
          if (early !== undefined) {
            send(response, 400, {
              __type: 'LimitExceededException',
              message: `StartConfigRulesEvaluation for ${early} was called less than a minute ago`,
            });
            return;
          }
          for (const name of names) lastStart.set(name, now);
          starts.push({ ruleNames: names, at: now });
          send(response, 200, {});
          options.onStart?.(names);
          return;
        }
        default:
          send(response, 400, {
            __type: 'UnknownOperationException',
            message: `not served by the stub: ${operation}`,
          });
      }
    })().catch((error: unknown) => {
      send(response, 500, { __type: 'InternalFailure', message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    throttledCalls,
    peakInFlight: () => peak,
    results,
    recordedAt,
    received,
    history,
    starts,
    setOptions(next) {
      options = next;
      buckets = bucketsFor(next);
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
