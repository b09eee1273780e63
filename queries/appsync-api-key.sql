-- Purpose: AppSync GraphQL APIs that accept API keys, as their primary or as an additional authentication mode (AppSync.5).
-- Answers: which recorded AWS::AppSync::GraphQLApi resources, in which account and Region, name API_KEY anywhere in
--   their authentication modes. One row per API; the CLI adds nothing and removes nothing.
-- Limits:
--   - Array semantics: configuration.AdditionalAuthenticationProviders is an array. A condition on
--     AdditionalAuthenticationProviders.AuthenticationType is true when ANY element matches, and two conditions on the
--     same array are evaluated independently (they may match different elements). A single equality per array, as
--     here, is exact: "some additional provider is API_KEY".
--   - Only API_KEY is looked for. Rule parameter AllowedAuthorizationTypes may forbid other modes too: for the
--     rule's exact verdicts use pack-noncompliant.sql or `npx authn-pack report`.
--   - Only what AWS Config records: APIs in accounts/Regions without AWS::AppSync::GraphQLApi recording are absent,
--     and an API whose configuration item is ResourceNotRecorded cannot be queried.
--   - Documented exceptions are not subtracted: see exceptions-tagged.sql (tags authn-exception/AppSync.5).
-- Run: npx authn-pack query appsync-api-key --aggregator <aggregator-name> [--format table|json|csv]
--      (without --aggregator: the current account and Region only)
SELECT
  accountId,
  awsRegion,
  resourceId,
  resourceName,
  configuration.AuthenticationType,
  configuration.AdditionalAuthenticationProviders
WHERE
  resourceType = 'AWS::AppSync::GraphQLApi'
  AND (
    configuration.AuthenticationType = 'API_KEY'
    OR configuration.AdditionalAuthenticationProviders.AuthenticationType = 'API_KEY'
  )
ORDER BY
  accountId,
  awsRegion,
  resourceName
