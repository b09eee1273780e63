/** What the cluster decision and every adapter (Config item, sweep, template) know about one cluster, and the readers they share. */
import { field, flag, list, text } from '../core/facts';

export interface ClientAuthenticationFacts {
  /** `Unauthenticated.Enabled`; undefined when not set (off), 'unreadable' when set to something that is not a switch. */
  readonly unauthenticated: boolean | undefined | 'unreadable';
  readonly iam: boolean;
  readonly scram: boolean;
  readonly tls: boolean;
}

export interface ClusterFacts {
  readonly name: string;
  readonly arn: string | undefined;
  /** `PROVISIONED`, `SERVERLESS`, or undefined (a provisioned-shape CI). */
  readonly clusterType: string | undefined;
  /** Undefined when the cluster has no client authentication block at all. */
  readonly clientAuthentication: ClientAuthenticationFacts | undefined;
  /** Broker-to-broker encryption; authentication cannot be turned on in place without it. */
  readonly inClusterEncryption: boolean | undefined;
  readonly publicAccess: boolean;
  readonly region: string | undefined;
}

/** `Unauthenticated` absent or without `Enabled` is off; a value that is not a switch cannot be read (fail closed). */
function unauthenticatedSwitch(value: unknown): ClientAuthenticationFacts['unauthenticated'] {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return 'unreadable';
  const enabled = field(value, 'Enabled');
  if (enabled === undefined || enabled === null) return undefined;
  return flag(enabled) ?? 'unreadable';
}

/** `ClientAuthentication` as both the CI and the Kafka API write it (same PascalCase names). */
export function clientAuthenticationFacts(value: unknown): ClientAuthenticationFacts | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tlsSwitch = field(value, 'Tls', 'Enabled');
  const authorities = list(field(value, 'Tls', 'CertificateAuthorityArnList'));
  return {
    unauthenticated: unauthenticatedSwitch(field(value, 'Unauthenticated')),
    iam: flag(field(value, 'Sasl', 'Iam', 'Enabled')) === true,
    scram: flag(field(value, 'Sasl', 'Scram', 'Enabled')) === true,
    // Older clusters list certificate authorities without an Enabled flag: only then the list counts, and only a
    // named authority in it. An Enabled that is not a switch does not count.
    tls:
      tlsSwitch === undefined || tlsSwitch === null
        ? (authorities ?? []).some((arn) => text(arn) !== undefined)
        : flag(tlsSwitch) === true,
  };
}

export const isPublic = (type: unknown): boolean => type === 'SERVICE_PROVIDED_EIPS';
