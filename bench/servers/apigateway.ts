/**
 * A stand-in for the API Gateway v2 management API on 127.0.0.1, speaking its REST-JSON protocol so the real SDK
 * client (inside the real bundled handler) talks to it unchanged: GET /v2/apis and GET /v2/apis/{apiId}/routes,
 * paged by maxResults/nextToken, and GET /v2/apis/{apiId} (GetApi, the deploy-time hook's read). Every request waits `latencyMs`; requests beyond the quota get HTTP 429
 * TooManyRequestsException, as the service answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROUTES_PER_API, apiAt, routeAt, type BenchApi } from '../estates';
import { Counters, ServerQuota, delay, listen, readBody, type CallCounts, type Quota } from './common';

/** The largest page served: no maximum is documented for GetApis/GetRoutes, 500 is what API Gateway v1 documents. */
export const MAX_PAGE_SIZE = 500;
/** The service's default page size when maxResults is absent. */
const DEFAULT_PAGE_SIZE = 25;

export interface ApiGatewayServerOptions {
  readonly apis: number;
  readonly latencyMs: number;
  readonly quota?: Quota;
}

export interface ApiGatewayServer {
  readonly endpoint: string;
  counts(): CallCounts;
  resetCounts(): void;
  stop(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  response.end(JSON.stringify(body));
}

function badRequest(response: ServerResponse, message: string): void {
  sendJson(response, 400, { message }, 'BadRequestException');
}

/** maxResults as the service reads it: a positive integer, clamped to the largest page. */
function pageSize(raw: string | null): number | string {
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) return `Invalid maxResults: ${raw}`;
  return Math.min(value, MAX_PAGE_SIZE);
}

const encodeToken = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64');
function decodeToken(token: string | null): number | undefined {
  if (token === null) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function apiJson(api: BenchApi): Record<string, unknown> {
  return {
    apiId: api.apiId,
    name: api.name,
    protocolType: api.protocolType,
    routeSelectionExpression:
      api.protocolType === 'WEBSOCKET' ? '$request.body.action' : '$request.method $request.path',
    apiEndpoint: `${api.protocolType === 'WEBSOCKET' ? 'wss' : 'https'}://${api.apiId}.execute-api.eu-west-1.amazonaws.com`,
    disableExecuteApiEndpoint: false,
    tags: api.tags,
  };
}

export async function startApiGatewayServer(options: ApiGatewayServerOptions): Promise<ApiGatewayServer> {
  const counters = new Counters();
  const quota = new ServerQuota(options.quota);
  const apiIndex = new Map<string, number>();
  for (let index = 0; index < options.apis; index += 1) apiIndex.set(apiAt(index).apiId, index);

  const page = (
    response: ServerResponse,
    url: URL,
    total: number,
    itemAt: (index: number) => unknown,
  ): void => {
    const size = pageSize(url.searchParams.get('maxResults'));
    if (typeof size === 'string') {
      badRequest(response, size);
      return;
    }
    const start = decodeToken(url.searchParams.get('nextToken'));
    if (start === undefined || start > total) {
      badRequest(response, 'Invalid nextToken');
      return;
    }
    const end = Math.min(total, start + size);
    const items: unknown[] = [];
    for (let index = start; index < end; index += 1) items.push(itemAt(index));
    sendJson(response, 200, { items, ...(end < total ? { nextToken: encodeToken(end) } : {}) });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const arrival = Date.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const routes = /^\/v2\/apis\/([^/]+)\/routes$/.exec(url.pathname);
    const single = /^\/v2\/apis\/([^/]+)$/.exec(url.pathname);
    const operation =
      request.method === 'GET' && url.pathname === '/v2/apis'
        ? 'GetApis'
        : request.method === 'GET' && routes
          ? 'GetRoutes'
          : request.method === 'GET' && single
            ? 'GetApi'
            : 'Unknown';
    counters.begin(operation);
    try {
      const admitted = quota.admit(operation);
      await readBody(request);
      await delay(options.latencyMs - (Date.now() - arrival));
      if (!admitted) {
        counters.throttle(operation);
        sendJson(response, 429, { message: 'Too Many Requests', limitType: '' }, 'TooManyRequestsException');
        return;
      }
      if (operation === 'GetApis') {
        page(response, url, options.apis, (index) => apiJson(apiAt(index)));
        return;
      }
      if (operation === 'GetApi') {
        const index = apiIndex.get(decodeURIComponent(single?.[1] ?? ''));
        if (index === undefined) {
          sendJson(response, 404, { message: 'Invalid API identifier specified' }, 'NotFoundException');
          return;
        }
        sendJson(response, 200, apiJson(apiAt(index)));
        return;
      }
      if (operation === 'GetRoutes') {
        const index = apiIndex.get(decodeURIComponent(routes?.[1] ?? ''));
        if (index === undefined) {
          sendJson(response, 404, { message: 'Invalid API identifier specified' }, 'NotFoundException');
          return;
        }
        page(response, url, ROUTES_PER_API, (routeIndex) => {
          const route = routeAt(index, routeIndex);
          return {
            routeId: route.routeId,
            routeKey: route.routeKey,
            authorizationType: route.authorizationType,
            apiKeyRequired: false,
            target: 'integrations/int0001',
          };
        });
        return;
      }
      sendJson(
        response,
        404,
        { message: `not served by the bench: ${request.method ?? ''} ${url.pathname}` },
        'NotFoundException',
      );
    } finally {
      counters.end();
    }
  };

  const listening = await listen(handle);
  return {
    endpoint: listening.endpoint,
    counts: () => counters.snapshot(),
    resetCounts: () => {
      counters.reset();
    },
    stop: () => listening.stop(),
  };
}
