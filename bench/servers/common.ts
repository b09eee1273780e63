/**
 * What the bench's local AWS stand-ins share: per-operation call and throttle counters, a peak of requests in
 * flight, server-side token buckets (the service's quota; an empty bucket answers "throttled") and a loopback
 * listener.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { TokenBucket, type RateLimit } from '../../rules/core/rate-limit';

/** A service's quota: limits by bucket name, and which bucket each operation draws from (default: its own). */
export interface Quota {
  readonly limits: Readonly<Record<string, RateLimit>>;
  readonly bucketOf?: (operation: string) => string;
}

export interface CallCounts {
  /** Requests received, by operation (throttled ones included). */
  readonly calls: Record<string, number>;
  /** Requests answered with a throttling error, by operation. */
  readonly throttled: Record<string, number>;
  /** Most requests in flight at once since the last reset. */
  readonly peakInFlight: number;
}

export class Counters {
  private calls = new Map<string, number>();
  private throttled = new Map<string, number>();
  private inFlight = 0;
  private peak = 0;

  begin(operation: string): void {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
  }

  end(): void {
    this.inFlight -= 1;
  }

  throttle(operation: string): void {
    this.throttled.set(operation, (this.throttled.get(operation) ?? 0) + 1);
  }

  snapshot(): CallCounts {
    return {
      calls: Object.fromEntries(this.calls),
      throttled: Object.fromEntries(this.throttled),
      peakInFlight: this.peak,
    };
  }

  reset(): void {
    this.calls.clear();
    this.throttled.clear();
    this.peak = this.inFlight;
  }
}

/** Server-side buckets: `admit` takes a token without waiting, and says no when the bucket is empty. */
export class ServerQuota {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly bucketOf: (operation: string) => string;

  constructor(quota: Quota | undefined) {
    for (const [name, limit] of Object.entries(quota?.limits ?? {}))
      this.buckets.set(name, new TokenBucket(limit));
    this.bucketOf = quota?.bucketOf ?? ((operation) => operation);
  }

  admit(operation: string): boolean {
    return this.buckets.get(this.bucketOf(operation))?.tryTake() ?? true;
  }
}

export const delay = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface Listening {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Serves `handle` on 127.0.0.1 and a free port; a handler that throws answers 500. */
export async function listen(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<Listening> {
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
