/** The sample HTTP and WebSocket APIs: open routes, authorized routes, and a documented exception. */
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateRouteCommand,
  type AuthorizationType,
} from '@aws-sdk/client-apigatewayv2';
import type { RuleSample, SampleClientSettings } from '../core/sample';

export interface SeededApis {
  readonly partnerApiId: string;
  readonly chatApiId: string;
  readonly routes: Readonly<Record<string, string>>;
}

/** An exception written the way the convention says, expiring a year after `today`. */
export function healthException(today: Date): Record<string, string> {
  const nextYear = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), 1))
    .toISOString()
    .slice(0, 10);
  return {
    'authn-exception/APIGateway.8/GET /health': 'public load balancer health probe, no data returned',
    'authn-exception-expires/APIGateway.8/GET /health': nextYear,
  };
}

export async function seedApiGateway(settings: SampleClientSettings, today: Date): Promise<SeededApis> {
  const client = new ApiGatewayV2Client(settings);
  const partner = await client.send(
    new CreateApiCommand({
      Name: 'partner-api',
      ProtocolType: 'HTTP',
      Tags: { team: 'partners', ...healthException(today) },
    }),
  );
  const partnerApiId = partner.ApiId ?? '';
  const routes: Record<string, string> = {};
  const httpRoutes: [string, AuthorizationType][] = [
    ['GET /health', 'NONE'],
    ['GET /partners/{id}', 'NONE'],
    ['POST /partners', 'NONE'],
    ['GET /orders', 'JWT'],
    ['POST /orders', 'AWS_IAM'],
  ];
  for (const [routeKey, authorizationType] of httpRoutes) {
    const route = await client.send(
      new CreateRouteCommand({
        ApiId: partnerApiId,
        RouteKey: routeKey,
        AuthorizationType: authorizationType,
        ...(authorizationType === 'JWT' ? { AuthorizerId: 'jwt0001' } : {}),
      }),
    );
    routes[routeKey] = route.RouteId ?? '';
  }
  const chat = await client.send(
    new CreateApiCommand({
      Name: 'chat-ws',
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    }),
  );
  const chatApiId = chat.ApiId ?? '';
  for (const [routeKey, authorizationType] of [
    ['$connect', 'AWS_IAM'],
    ['$default', 'NONE'],
    ['sendMessage', 'NONE'],
  ] as [string, AuthorizationType][]) {
    const route = await client.send(
      new CreateRouteCommand({ ApiId: chatApiId, RouteKey: routeKey, AuthorizationType: authorizationType }),
    );
    routes[`chat ${routeKey}`] = route.RouteId ?? '';
  }
  return { partnerApiId, chatApiId, routes };
}

export const sample: RuleSample = {
  event: 'scheduled.json',
  seed: async (settings, today) => {
    await seedApiGateway(settings, today);
  },
};
