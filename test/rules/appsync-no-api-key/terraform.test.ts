import { appsyncNoApiKey as rule } from '../../../rules/appsync-no-api-key/rule';
import { planTable, type PlannedResource } from '../../helpers/plans';

const api = (after: Record<string, unknown>, unknown: Record<string, unknown> = {}): PlannedResource => ({
  address: 'aws_appsync_graphql_api.reviews',
  after: { name: 'reviews', additional_authentication_provider: [], ...after },
  unknown: { id: true, arn: true, ...unknown },
});

describe('AppSync.5 terraform adapter', () => {
  planTable(rule, [
    {
      title: 'a Cognito provider whose region is known only after apply is still judged by its type',
      resources: [
        api(
          {
            authentication_type: 'AWS_IAM',
            additional_authentication_provider: [
              {
                authentication_type: 'AMAZON_COGNITO_USER_POOLS',
                user_pool_config: [{ user_pool_id: 'us-east-1_X' }],
              },
            ],
          },
          { additional_authentication_provider: [{ user_pool_config: [{ aws_region: true }] }] },
        ),
      ],
      resourceId: 'aws_appsync_graphql_api.reviews',
      compliance: 'COMPLIANT',
      annotation: /authenticates callers with AWS_IAM, AMAZON_COGNITO_USER_POOLS/,
    },
    {
      title: 'additional providers known only after apply cannot be verified',
      resources: [api({ authentication_type: 'AWS_IAM' }, { additional_authentication_provider: true })],
      resourceId: 'aws_appsync_graphql_api.reviews',
      compliance: 'NON_COMPLIANT',
      annotation:
        /cannot be verified before deploy: additional_authentication_provider is known only after apply/,
    },
    {
      title: 'a merged API with API_KEY is judged as a GraphQL API',
      resources: [api({ authentication_type: 'API_KEY', api_type: 'MERGED' })],
      resourceId: 'aws_appsync_graphql_api.reviews',
      compliance: 'NON_COMPLIANT',
      annotation: /relies on API keys only/,
    },
  ]);
});
