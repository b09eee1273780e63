/**
 * The shared set-up of the tests that run the evaluator through `createConfigRuleHandler`: Config and STS clients
 * mocked with aws-sdk-client-mock, a retry policy that never waits, and what PutEvaluations received.
 * `installHandlerMocks()` inside a test file's outer describe gives each test fresh mocks (read through the exported
 * bindings, which always name the current test's).
 */
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
  type ConfigurationItem as ApiConfigurationItem,
  type EvaluationResult,
  type PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import sinon from 'sinon';
import { createConfigRuleHandler, type RuleRuntime } from '../../../rules/core/handler';
import { silentLog } from '../../../rules/core/log';
import type { ParameterSpecs } from '../../../rules/core/parameters';
import type { RuleDefinition } from '../../../rules/core/types';
import { changeEvent } from '../../helpers/events';
import { NOW, TINY_TYPE, fastRetry, fixture, type FastRetry } from './support';

export const RULE_NAME_WITH_SUFFIX = 'authn-apigwv2-route-authorization-conformance-pack-q1w2e3r4';
export const ROLE_NAME = 'authn-pack-member';
export const ASSUMED = {
  AccessKeyId: 'ASIAEXAMPLEASSUMED',
  SecretAccessKey: 'assumed-secret',
  SessionToken: 'assumed-session-token',
  Expiration: new Date('2026-10-04T06:45:00.000Z'),
};

export let config: AwsClientStub<ConfigServiceClient>;
export let sts: AwsClientStub<STSClient>;
export let retry: FastRetry;

/** Fresh mocks for every test: PutEvaluations accepts everything, Config holds nothing, AssumeRole succeeds. */
export function installHandlerMocks(): void {
  beforeEach(() => {
    config = mockClient(ConfigServiceClient);
    sts = mockClient(STSClient);
    retry = fastRetry();
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
    sts.on(AssumeRoleCommand).resolves({ Credentials: ASSUMED });
  });

  afterEach(() => {
    config.restore();
    sts.restore();
    sinon.restore();
  });
}

export function handlerOf<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  overrides: Partial<RuleRuntime<Client>> = {},
) {
  return createConfigRuleHandler(rule, { retry: retry.policy, now: () => NOW, log: silentLog, ...overrides });
}

export const putInputs = (): PutEvaluationsCommandInput[] =>
  config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input);

export const putEvaluations = () => putInputs().flatMap((input) => input.Evaluations ?? []);

/** A result as GetComplianceDetailsByConfigRule returns it. */
export function reported(
  resourceType: string,
  resourceId: string,
  compliance = 'NON_COMPLIANT',
): EvaluationResult {
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: {
        ConfigRuleName: RULE_NAME_WITH_SUFFIX,
        ResourceType: resourceType,
        ResourceId: resourceId,
      },
    },
    ComplianceType: compliance as EvaluationResult['ComplianceType'],
    Annotation: 'earlier verdict',
    ResultRecordedTime: NOW,
  };
}

/** A change notification for the tiny change rule, whose facts say NON_COMPLIANT with this annotation. */
export function tinyEvent(annotation: string, options: { captureTime?: string; resultToken?: string } = {}) {
  return changeEvent(
    {
      resourceType: TINY_TYPE,
      resourceId: 'w-1',
      configuration: { name: 'w-1', verdict: { compliance: 'NON_COMPLIANT', annotation } },
      ...(options.captureTime === undefined ? {} : { captureTime: options.captureTime }),
    },
    options.resultToken === undefined ? {} : { resultToken: options.resultToken },
  );
}

/** The API-shaped item GetResourceConfigHistory returns, with the capture time as the SDK deserializes it. */
export function historyResponse(): { configurationItems: ApiConfigurationItem[] } {
  const raw = fixture('get-resource-config-history-response.json') as {
    configurationItems: (Omit<ApiConfigurationItem, 'configurationItemCaptureTime'> & {
      configurationItemCaptureTime: string;
    })[];
  };
  return {
    configurationItems: raw.configurationItems.map((item) => ({
      ...item,
      configurationItemCaptureTime: new Date(item.configurationItemCaptureTime),
    })),
  };
}
