/** What the replication group decision and every adapter (sweep, template) know about one group, and its version readers. */
export interface ReplicationGroupFacts {
  readonly groupId: string;
  /** Lower-case engine (`redis`, `valkey`), or undefined when neither the group nor its members say. */
  readonly engine: string | undefined;
  /** The lowest engine version among the members, or undefined when no member could be described. */
  readonly engineVersion: string | undefined;
  readonly authTokenEnabled: boolean | undefined;
  /**
   * A template sets AuthToken without TransitEncryptionEnabled true: ElastiCache takes an AUTH token only with
   * in-transit encryption (CreateReplicationGroup: "AuthToken can be specified only on replication groups where
   * TransitEncryptionEnabled is true"), so the group gets none.
   */
  readonly authTokenRefused?: boolean;
  readonly userGroupIds: readonly string[];
  readonly transitEncryptionEnabled: boolean | undefined;
  readonly region: string;
  /** True when no version was chosen (a template without EngineVersion): the service then uses its latest. */
  readonly defaultEngineVersion?: boolean;
}

/** Major.minor as numbers; `6.x` reads as 6.0. Undefined for anything unreadable. */
export function parseVersion(version: string | undefined): [number, number] | undefined {
  const match = /^(\d+)(?:\.(\d+|x))?/.exec(version?.trim() ?? '');
  if (!match) return undefined;
  const minor = match[2] === undefined || match[2] === 'x' ? 0 : Number(match[2]);
  return [Number(match[1]), minor];
}

/** The lowest of several engine versions (members of one group can differ during an upgrade). */
export function lowestVersion(versions: readonly string[]): string | undefined {
  let lowest: { text: string; parsed: [number, number] } | undefined;
  for (const text of versions) {
    const parsed = parseVersion(text);
    if (parsed === undefined) return undefined; // one unreadable member: the version is not known
    if (
      lowest === undefined ||
      parsed[0] < lowest.parsed[0] ||
      (parsed[0] === lowest.parsed[0] && parsed[1] < lowest.parsed[1])
    ) {
      lowest = { text, parsed };
    }
  }
  return lowest?.text;
}
