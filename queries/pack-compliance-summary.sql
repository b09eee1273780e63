-- Purpose: Compliance of the authn-pack conformance pack per account: how many Regions are COMPLIANT or NON_COMPLIANT.
-- Answers: counts of AWS::Config::ConformancePackCompliance items for the pack, grouped by account and compliance
--   type. In member accounts an organization pack is named OrgConformsPack-<name>-<suffix>; a pack deployed in one
--   account keeps its own name.
-- Limits:
--   - Matches the default pack name authn-pack (deploy setting conformancePackName); edit both patterns if you chose
--     another name. No prefix wildcards exist, so a name must start with one of the two patterns.
--   - A pack is NON_COMPLIANT when any rule in it finds any resource NON_COMPLIANT: documented exceptions are COMPLIANT
--     and do not count. For the resources themselves use pack-noncompliant.sql or `npx authn-pack report`.
--   - A Region where the pack was never created (or failed to create) has no item and is absent from the counts:
--     `npx authn-pack report` lists accounts and Regions where rules are missing.
--   - Requires AWS::Config::ConformancePackCompliance to be recorded.
-- Run: npx authn-pack query pack-compliance-summary --aggregator <aggregator-name> [--format table|json|csv]
SELECT
  accountId,
  configuration.complianceType,
  COUNT(*)
WHERE
  resourceType = 'AWS::Config::ConformancePackCompliance'
  AND (
    resourceName LIKE 'OrgConformsPack-authn-pack%'
    OR resourceName = 'authn-pack'
  )
GROUP BY
  accountId,
  configuration.complianceType
ORDER BY
  accountId
