-- Purpose: DMS endpoints for MongoDB with authentication turned off (MongoDbSettings.AuthType = no) (DMS.11).
-- Answers: which recorded AWS::DMS::Endpoint resources, source or target, connect to MongoDB without a user name and
--   password. Never selects user names, passwords or secret ids.
-- Limits:
--   - An endpoint with NO AuthType at all is NON_COMPLIANT in the rule ("authentication type not set") but cannot be
--     found here: advanced queries cannot compare with NULL or test that a field is missing. Use pack-noncompliant.sql
--     or `npx authn-pack report` for those.
--   - EngineName is compared exactly ('mongodb', as DMS writes it); DocumentDB endpoints (docdb) are out of scope.
--   - Only what AWS Config records (AWS::DMS::Endpoint recording on in that account and Region).
--   - Documented exceptions are not subtracted: see exceptions-tagged.sql (tags authn-exception/DMS.11).
-- Run: npx authn-pack query dms-mongodb-no-auth --aggregator <aggregator-name> [--format table|json|csv]
SELECT
  accountId,
  awsRegion,
  resourceId,
  resourceName,
  configuration.EndpointType,
  configuration.MongoDbSettings.AuthType,
  configuration.MongoDbSettings.AuthMechanism
WHERE
  resourceType = 'AWS::DMS::Endpoint'
  AND configuration.EngineName = 'mongodb'
  AND configuration.MongoDbSettings.AuthType = 'no'
ORDER BY
  accountId,
  awsRegion,
  resourceName
