-- Purpose: Resources that at least one of the pack's rules finds NON_COMPLIANT, across the aggregator (all five controls).
-- Answers: every AWS::Config::ResourceCompliance item (one per evaluated resource) naming one of the pack's rules,
--   in its registry form (authn-...), as a conformance-pack rule (authn-...-conformance-pack-<suffix>) or as an
--   organization rule (OrgConfigRule-authn-...-<suffix>). This is the only query that reaches API Gateway routes and
--   ElastiCache replication groups: AWS Config does not record those types, only the rules' evaluations of them.
-- Limits:
--   - Array semantics: configRuleList is an array and each condition is evaluated on its own, so a resource matches
--     when ONE rule of ours evaluated it and ANY rule (perhaps not ours) found it NON_COMPLIANT. The CLI post-filters
--     configRuleList down to the pack's rules that are NON_COMPLIANT and drops resources left with none.
--   - Requires AWS::Config::ResourceCompliance to be recorded in every member account and Region. Whether AWS Config
--     writes ResourceCompliance items for evaluations of unrecorded types (routes, replication groups) is not
--     documented: if your estate shows none, use `npx authn-pack report`, which reads the compliance APIs directly.
--   - No prefix wildcards exist, so rule names that do not start with authn- or OrgConfigRule-authn- are missed.
-- Run: npx authn-pack query pack-noncompliant --aggregator <aggregator-name> [--format table|json|csv]
SELECT
  accountId,
  awsRegion,
  configuration.targetResourceType,
  configuration.targetResourceId,
  configuration.configRuleList
WHERE
  resourceType = 'AWS::Config::ResourceCompliance'
  AND configuration.complianceType = 'NON_COMPLIANT'
  AND (
    configuration.configRuleList.configRuleName LIKE 'authn-%'
    OR configuration.configRuleList.configRuleName LIKE 'OrgConfigRule-authn-%'
  )
  AND configuration.configRuleList.complianceType = 'NON_COMPLIANT'
ORDER BY
  accountId,
  awsRegion
