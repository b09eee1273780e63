/**
 * REST APIs: a regional shop API whose health probe (key only) is a documented exception, an open GET and CORS
 * preflight beside an IAM POST, and a private ledger API with an open method (ranked after the public ones).
 */
import {
  APIGatewayClient,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import type { RuleSample, SampleClientSettings } from '../core/sample';

export async function seedRestApis(settings: SampleClientSettings, today: Date): Promise<void> {
  const client = new APIGatewayClient(settings);
  const nextYear = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), 1))
    .toISOString()
    .slice(0, 10);
  const apis: [
    string,
    'REGIONAL' | 'PRIVATE',
    Record<string, string>,
    [string, string, string, boolean][],
  ][] = [
    [
      'shop-rest',
      'REGIONAL',
      {
        team: 'shop',
        'authn-exception/AUTHN-APIGW-REST/GET /health': 'load balancer health probe, returns no data',
        'authn-exception-expires/AUTHN-APIGW-REST/GET /health': nextYear,
      },
      [
        ['health', 'GET', 'NONE', true],
        ['orders', 'GET', 'NONE', false],
        ['orders', 'POST', 'AWS_IAM', false],
        ['orders', 'OPTIONS', 'NONE', false],
      ],
    ],
    ['ledger-private', 'PRIVATE', { team: 'finance' }, [['entries', 'GET', 'NONE', false]]],
  ];
  for (const [name, type, tags, methods] of apis) {
    const api = await client.send(
      new CreateRestApiCommand({ name, endpointConfiguration: { types: [type] }, tags }),
    );
    const root = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items?.[0]?.id;
    const ids = new Map<string, string>();
    for (const [part, httpMethod, authorizationType, apiKeyRequired] of methods) {
      let resourceId = ids.get(part);
      if (resourceId === undefined) {
        resourceId =
          (
            await client.send(
              new CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: part }),
            )
          ).id ?? '';
        ids.set(part, resourceId);
      }
      await client.send(
        new PutMethodCommand({
          restApiId: api.id,
          resourceId,
          httpMethod,
          authorizationType,
          apiKeyRequired,
        }),
      );
    }
  }
}

export const sample: RuleSample = { event: 'scheduled.json', seed: seedRestApis };
