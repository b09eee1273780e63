-- Purpose: MSK provisioned clusters that accept unauthenticated clients, or that enable no client authentication mechanism (MSK.6).
-- Answers: which recorded AWS::MSK::Cluster resources have ClientAuthentication.Unauthenticated.Enabled = true (also
--   when IAM, SASL/SCRAM or mutual TLS is enabled beside it: "supplemented but not removed"), or have the three
--   mechanisms all explicitly false.
-- Limits:
--   - A cluster with NO ClientAuthentication block at all accepts any client, but it cannot be found here: advanced
--     queries have no NULL / IS MISSING comparison, and a condition on a field that is absent is simply false. Such
--     clusters are NON_COMPLIANT in the rule: find them with pack-noncompliant.sql or `npx authn-pack report`.
--   - Likewise a cluster whose Tls block has only CertificateAuthorityArnList (no Enabled flag, older clusters) does
--     not match the "all mechanisms false" branch even when it should.
--   - AWS::MSK::ServerlessCluster is a separate type (IAM only) and out of scope.
--   - Only what AWS Config records (AWS::MSK::Cluster recording on in that account and Region).
--   - Documented exceptions are not subtracted: see exceptions-tagged.sql (tags authn-exception/MSK.6).
-- Run: npx authn-pack query msk-unauthenticated --aggregator <aggregator-name> [--format table|json|csv]
SELECT
  accountId,
  awsRegion,
  resourceId,
  resourceName,
  configuration.ClientAuthentication.Unauthenticated.Enabled,
  configuration.ClientAuthentication.Sasl.Iam.Enabled,
  configuration.ClientAuthentication.Sasl.Scram.Enabled,
  configuration.ClientAuthentication.Tls.Enabled,
  configuration.BrokerNodeGroupInfo.ConnectivityInfo.PublicAccess.Type
WHERE
  resourceType = 'AWS::MSK::Cluster'
  AND (
    configuration.ClientAuthentication.Unauthenticated.Enabled = true
    OR (
      configuration.ClientAuthentication.Sasl.Iam.Enabled = false
      AND configuration.ClientAuthentication.Sasl.Scram.Enabled = false
      AND configuration.ClientAuthentication.Tls.Enabled = false
    )
  )
ORDER BY
  accountId,
  awsRegion,
  resourceName
