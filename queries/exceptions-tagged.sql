-- Purpose: Resources of the three recorded types that carry authn-exception* tags (documented exceptions and their expiry tags).
-- Answers: every recorded AppSync API, MSK cluster and DMS endpoint with at least one tag whose key starts with
--   authn-exception (the justification tag authn-exception/<Control> and the expiry tag
--   authn-exception-expires/<Control>), with its tags. The CLI keeps only the authn-exception* tags in the output.
-- Limits:
--   - Array semantics: tags is an array; the condition is true when ANY tag key matches, and the query returns the
--     whole tags array, so the CLI post-filters it (a raw SelectAggregateResourceConfig call shows every tag).
--   - API Gateway routes and ElastiCache replication groups are not recorded by AWS Config, so their exceptions (tags
--     on the API, or on the replication group) are not here: `npx authn-pack report` lists the exceptions the
--     rules honoured for all five controls, from their compliance results.
--   - A tag here is not proof the exception is honoured (a short justification or a past expiry fails closed):
--     the rule's verdict, in pack-noncompliant.sql or the report, is what counts.
--   - The prefix is the default of ExceptionTagPrefix; edit the pattern if your pack uses another prefix.
-- Run: npx authn-pack query exceptions-tagged --aggregator <aggregator-name> [--format table|json|csv]
SELECT
  accountId,
  awsRegion,
  resourceType,
  resourceId,
  resourceName,
  tags
WHERE
  resourceType IN ('AWS::AppSync::GraphQLApi', 'AWS::MSK::Cluster', 'AWS::DMS::Endpoint')
  AND tags.key LIKE 'authn-exception%'
ORDER BY
  accountId,
  awsRegion,
  resourceType
