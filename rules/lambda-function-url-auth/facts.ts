/** What the function URL decision and every adapter (sweep, template) know about one Lambda function URL. */
export interface FunctionUrlFacts {
  readonly functionName: string;
  /** The function's unqualified ARN (its tags, and so its exception tags, live there). */
  readonly functionArn: string | undefined;
  /** The alias the URL is on; undefined for the URL of the function itself. */
  readonly qualifier: string | undefined;
  /** `AWS_IAM` or `NONE` as Lambda reports it; undefined when the configuration carries none. */
  readonly authType: string | undefined;
  readonly functionUrl: string | undefined;
  readonly region: string | undefined;
}
