/**
 * Shared vocabulary of the pack: what a rule is, what it decides, and the Config event it is invoked with.
 * A rule module is metadata + a pure decision + adapters; everything that talks to AWS lives in core/.
 */
import type { ChangeEvents } from './change-events';
import type { ParameterSpecs, ParameterValues } from './parameters';
import type { Clock } from './rate-limit';
import type { SamExpansion } from './sam';
import type { TemplateEvaluation, TemplateResource, TemplateView } from './template';
import type { PlanResource, PlanView } from './terraform';

/** The three values PutEvaluations accepts from a custom rule (INSUFFICIENT_DATA is rejected). */
export type Compliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

export interface Verdict<Code extends string = string> {
  readonly compliance: Compliance;
  /**
   * Why, as a stable kebab-case code (`route-authorization-none`): declared in the rule's decision.ts (or, for what
   * core decides, rules/core/codes.ts), so users filter and dedupe findings without matching the English.
   */
  readonly code: Code;
  /** What is wrong, on which resource in human words, and the next step. Cut to 256 characters on delivery. */
  readonly annotation: string;
}

export type Frequency = 'One_Hour' | 'Three_Hours' | 'Six_Hours' | 'Twelve_Hours' | 'TwentyFour_Hours';
export const FREQUENCIES: readonly Frequency[] = [
  'One_Hour',
  'Three_Hours',
  'Six_Hours',
  'Twelve_Hours',
  'TwentyFour_Hours',
];

/** Change-triggered where Config records the type; periodic (a service-API sweep) where it does not. */
export type Trigger =
  { readonly kind: 'change' } | { readonly kind: 'periodic'; readonly defaultFrequency: Frequency };

/** A configuration item in the shape Config sends to a Lambda (invocation model: `ARN`, `awsAccountId`). */
export interface ConfigurationItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly ARN?: string;
  readonly awsAccountId?: string;
  readonly awsRegion?: string;
  readonly configurationItemStatus: string;
  readonly configurationItemCaptureTime: string;
  readonly configuration: unknown;
  readonly supplementaryConfiguration?: Record<string, unknown>;
  readonly tags?: Record<string, string>;
  readonly [other: string]: unknown;
}

/** Where the sweep runs: the account and region a Config rule evaluates. */
export interface SweepContext {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** Called between pages: throws when the invocation must stop (Lambda time running short). */
  readonly checkpoint?: () => void;
  /** Time as the sweep's rate limiters see it (the bench's simulated clock); default: the system clock. */
  readonly clock?: Clock;
}

/**
 * One part of a sweep that can continue across invocations (periodic-cycle.ts): one API and its routes or methods, one
 * function and its URLs, one replication group. Parts are swept in `key` order, each wholly within one invocation. A
 * part holds every resource of each parent it names, so a roll-up per parent (parent-fallback.ts) is whole within it.
 */
export interface SweepPart<Facts> {
  /** Unique and stable across invocations (an API id): the cycle's cursor is the last finished key. */
  readonly key: string;
  /** About how many resources `read` returns, if known (groups are cut by it). */
  readonly sizeHint?: number;
  read(): Promise<readonly SweptResource<Facts>[]>;
}

/** Tags as a resource carries them: inline from a list call, or read on demand (only where a verdict may change). */
export type TagSource = Readonly<Record<string, string>> | (() => Promise<Readonly<Record<string, string>>>);

/** One resource found by a service-API sweep, with the plain facts its rule decides on. */
export interface SweptResource<Facts> {
  readonly resourceType: string;
  /** The resource's ARN: periodic rules and the scan name resources this way. */
  readonly resourceId: string;
  readonly resourceName: string;
  readonly facts: Facts;
  readonly tags: TagSource;
  /** The taggable parent that holds this resource's exception tags and takes its verdict if the type is rejected. */
  readonly parent?: {
    readonly resourceType: string;
    readonly resourceId: string;
    readonly resourceName: string;
  };
}

/** How a rule reaches its service: the modular SDK client it needs and the IAM actions its sweep calls. */
export interface ServiceSpec<Client> {
  /** The service's SDK name as in `AWS_ENDPOINT_URL_<NAME>` (e.g. `apigatewayv2`). */
  readonly name: string;
  /** The npm package of the client `createClient` makes: the only service client its Lambda bundle may hold. */
  readonly sdkPackage: string;
  readonly createClient: (config: ClientSettings) => Client;
  /** Exactly the actions the sweep calls (IAM least privilege is derived from these). */
  readonly iamActions: readonly string[];
}

/** Settings every SDK client of the pack is created with. */
export interface ClientSettings {
  readonly region?: string;
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
    readonly expiration?: Date;
  };
  readonly retryMode: 'adaptive';
  readonly maxAttempts: number;
  /** Timeouts of each HTTP attempt (the SDK's NodeHttpHandler options); without them a hung call never ends. */
  readonly requestHandler?: {
    readonly connectionTimeout: number;
    readonly requestTimeout: number;
    readonly throwOnRequestTimeout: boolean;
  };
}

/**
 * One control. `evaluate` is pure and synchronous; the adapters gather facts; core does the rest
 * (event parsing, applicability, exceptions, delivery, stale cleanup).
 */
export interface RuleDefinition<Facts, Client, Params extends ParameterSpecs> {
  /** Security Hub control id (`<Service>.<number>`). Also the exception tag's control part. */
  readonly control: string;
  /** Config rule name; the rule's folder is this name without the `authn-` prefix. */
  readonly ruleName: string;
  readonly title: string;
  readonly description: string;
  readonly resourceType: string;
  readonly trigger: Trigger;
  /** Rule-specific parameters (core adds ExecutionRoleName and the exception settings). */
  readonly parameters: Params;
  readonly service: ServiceSpec<Client>;
  /** The decision. No I/O, no clock, no logging. */
  evaluate(facts: Facts, params: ParameterValues<Params>): Verdict;
  /** Every code `evaluate` can give (decision.ts declares them; the docs and tests check against this list). */
  readonly codes: readonly string[];
  /** The fix for a failing resource, as a runnable CLI command. */
  remediation(facts: Facts): string;
  /**
   * The fix when only Config's evaluation result is at hand (organization report): the reported resource id and
   * where it lives, no facts. Placeholders (`<...>`) stand for what the id does not say.
   */
  remediationHint?(target: RemediationTarget): string;
  /**
   * Qualifiers of exception tags that name this resource on its parent (a route's id and key on its API).
   * Absent: exceptions are resource-wide only.
   */
  exceptionQualifiers?(facts: Facts): readonly string[];
  /** Whether the resource answers on the public internet (the scan ranks those failures first). */
  isInternetFacing?(facts: Facts): boolean;
  /**
   * What the rule's resources are called when their verdicts roll up to their parent (e.g. "routes", in "2 of 5
   * routes of orders fail"): used when PutEvaluations refuses the rule's own type. Absent: "resources".
   */
  readonly childNoun?: string;
  /** Words for an exception without a qualifier when qualifiers exist (e.g. "API-wide exception"). */
  readonly wideExceptionLabel?: string;
  /** Config CI (invocation model) → facts. Present on change-triggered rules. */
  fromConfigurationItem?(item: ConfigurationItem): Facts;
  /** CloudFormation → facts, for the pre-deploy template check (and the CDK validation plugin). */
  readonly template?: TemplateAdapter<Facts>;
  /**
   * What the deploy-time hook reads live, read-only, for a type whose resolved properties do not decide it alone
   * (a route's API). Absent: the hook judges the properties as they are.
   */
  readonly hook?: HookLiveRead<Client>;
  /**
   * Periodic rules: the management calls (CloudTrail via EventBridge) that change verdicts, and how to read again only
   * what they changed, so a change is reported within minutes. Absent: the schedule alone.
   */
  readonly changes?: ChangeEvents<Client, Facts>;
  /** Terraform plan or state (`terraform show -json`) → facts, for the same pre-deploy check. */
  readonly terraform?: TerraformAdapter<Facts>;
  /** Service APIs → facts for every resource in the account and region (periodic rules and the scan). */
  sweep(client: Client, context: SweepContext): Promise<readonly SweptResource<Facts>[]>;
  /**
   * The same sweep as parts (listed with a few calls, each read on demand), so a sweep too large for one invocation
   * continues in the next where the runtime keeps progress (a state table). Every periodic rule has one, and its
   * `sweep` reads these same parts whole (sweep-parts.ts `readEveryPart`), so the two cannot drift apart.
   */
  resumableSweep?(client: Client, context: SweepContext): Promise<readonly SweepPart<Facts>[]>;
}

/** A resource as an evaluation result names it: Config's resource id (usually an ARN) and its Region. */
export interface RemediationTarget {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly region: string;
}

/** Reads a rule's facts from the resources of a template; a value unknown before deploy is said, not guessed. */
export interface TemplateAdapter<Facts> {
  /** The CloudFormation types this adapter reads (each reported resource is of one of them). */
  readonly resourceTypes: readonly string[];
  /**
   * The property a failing resource is fixed in, as a CloudFormation property path (`MongoDbSettings.AuthType`):
   * where the CDK plugin points, unless the evaluation or `location` names another.
   */
  readonly property: string;
  /**
   * The SAM transform's expansions of the SAM types whose output these facts judge (rules/core/sam.ts runs them, in
   * registry order): a SAM template is judged as what the transform makes of it.
   */
  readonly sam?: readonly SamExpansion[];
  /** Where a failing verdict on these facts points instead: another property path, or null for the whole resource. */
  location?(facts: Facts): string | null | undefined;
  read(resource: TemplateResource, template: TemplateView): readonly TemplateEvaluation<Facts>[];
  /** The fix for a failing resource, as a change to the template. */
  fix(facts: Facts): string;
}

/**
 * A deploy-time hook request names one resource and its resolved properties; what it references (a route's API,
 * the API's other routes) is read live and handed to the template adapter as template resources beside it.
 */
export interface HookLiveRead<Client> {
  /** The CloudFormation types whose hook requests need it. */
  readonly resourceTypes: readonly string[];
  /** Exactly the read-only actions `read` calls (the hook function's role is derived from these). */
  readonly iamActions: readonly string[];
  /** Throws, with what could not be read, when the service cannot be read: the hook then fails closed. */
  read(target: TemplateResource, client: Client, signal: AbortSignal): Promise<HookLiveView>;
  /**
   * Why a target's verdict is given on another request of the same stack operation, when it is (what decides it is
   * created after the target, so this request cannot see it): the hook then passes the target with that reason and
   * reads nothing. Pure: a request of any of the adapter's types is asked, before any client exists.
   */
  judgedElsewhere?(target: TemplateResource): string | undefined;
}

export type HookLiveView =
  | {
      readonly kind: 'read';
      /** The target as the adapter reads it: references to what was read become `Ref`s to the resources below. */
      readonly target: TemplateResource;
      readonly related: readonly TemplateResource[];
      /**
       * Logical id of a related resource whose verdict stands for the target's when the target's own does not apply
       * (a WebSocket route is reached through its API's `$connect`) or when the target has none of its own (an
       * ApiGatewayManagedOverrides sets the authorization of its quick-create API's `$default` route).
       */
      readonly decidedBy?: string;
      /**
       * Set when what was read may still be changing under this same stack operation (sibling resources are created
       * in parallel): a failure is then asked again later before it is final.
       */
      readonly settling?: string;
    }
  /** What the target references is not there (yet): asked again later, then a failure. */
  | { readonly kind: 'pending'; readonly reason: string };

/**
 * Reads a rule's facts from the resources of a Terraform plan or state (the generic reader in core/terraform.ts
 * walks modules, resolves references and hides sensitive values); a value known only after apply is said.
 */
export interface TerraformAdapter<Facts> {
  /** The Terraform resource types this adapter reads (`aws_apigatewayv2_route`, …). */
  readonly resourceTypes: readonly string[];
  read(resource: PlanResource, plan: PlanView): readonly TemplateEvaluation<Facts>[];
  /** The fix for a failing resource, as a change to the Terraform configuration. */
  fix(facts: Facts): string;
}

/** Any rule, for the registry and the code that loops over it. */
// Method syntax in RuleDefinition keeps facts bivariant, so every concrete rule fits here.
export type AnyRule = RuleDefinition<unknown, unknown, ParameterSpecs>;
