/** What the Neptune decision and every adapter (Config item, sweep, template) know about one DB cluster. */
export interface NeptuneClusterFacts {
  /** The cluster identifier (`DBClusterIdentifier`), or what names the cluster when that is not known. */
  readonly identifier: string;
  readonly arn: string | undefined;
  /** `neptune` for Neptune; Config records Aurora, DocumentDB and Multi-AZ clusters under the same type. */
  readonly engine: string | undefined;
  /**
   * `IAMDatabaseAuthenticationEnabled` as recorded: a boolean, `absent` (off: the default when a cluster is created
   * without it), or `unreadable` (present but not a boolean, or recorded twice with different values).
   */
  readonly iamAuth: boolean | 'absent' | 'unreadable';
  readonly region: string | undefined;
}
