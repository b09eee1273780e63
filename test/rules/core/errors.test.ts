/** The one error model: every error the pack throws on purpose is a PackError with a stable code and exit status. */
import { expect } from 'chai';
import { UsageError } from '../../../cli/io';
import { UnscopedActionError } from '../../../deploy/iam';
import { SettingsError } from '../../../deploy/settings';
import {
  DeliveryError,
  EXIT,
  ExecutionRoleError,
  IncompleteCleanupError,
  IncompleteSweepError,
  MalformedEventError,
  OutOfTimeError,
  StateStoreError,
  PackError,
  ParameterError,
  ResourceTypeRejectedError,
  describeError,
} from '../../../rules/core/errors';
import { TemplateError } from '../../../rules/core/template';
import { MalformedHookRequestError } from '../../../hook/request';
import { HookSettingsError } from '../../../hook/runtime';
import { TerraformPlanError } from '../../../rules/core/terraform';

describe('rules/core/errors', () => {
  const cases: { error: PackError; name: string; code: string; exitStatus: number }[] = [
    {
      error: new MalformedHookRequestError('x'),
      name: 'MalformedHookRequestError',
      code: 'malformed-hook-request',
      exitStatus: EXIT.failing,
    },
    {
      error: new HookSettingsError('x'),
      name: 'HookSettingsError',
      code: 'hook-settings',
      exitStatus: EXIT.usage,
    },
    {
      error: new MalformedEventError('x'),
      name: 'MalformedEventError',
      code: 'malformed-event',
      exitStatus: EXIT.failing,
    },
    {
      error: new ParameterError('P', 'x'),
      name: 'ParameterError',
      code: 'parameter',
      exitStatus: EXIT.usage,
    },
    {
      error: new DeliveryError('x', 1, 2),
      name: 'DeliveryError',
      code: 'delivery',
      exitStatus: EXIT.failing,
    },
    {
      error: new ResourceTypeRejectedError('AWS::X::Y'),
      name: 'ResourceTypeRejectedError',
      code: 'resource-type-rejected',
      exitStatus: EXIT.failing,
    },
    {
      error: new IncompleteSweepError('x'),
      name: 'IncompleteSweepError',
      code: 'incomplete-sweep',
      exitStatus: EXIT.failing,
    },
    {
      error: new IncompleteCleanupError('x'),
      name: 'IncompleteCleanupError',
      code: 'incomplete-cleanup',
      exitStatus: EXIT.failing,
    },
    {
      error: new ExecutionRoleError('x'),
      name: 'ExecutionRoleError',
      code: 'execution-role',
      exitStatus: EXIT.failing,
    },
    {
      error: new StateStoreError('x'),
      name: 'StateStoreError',
      code: 'state-store',
      exitStatus: EXIT.failing,
    },
    { error: new OutOfTimeError('x'), name: 'OutOfTimeError', code: 'out-of-time', exitStatus: EXIT.failing },
    { error: new TemplateError('x'), name: 'TemplateError', code: 'template', exitStatus: EXIT.unreadable },
    {
      error: new TerraformPlanError('x'),
      name: 'TerraformPlanError',
      code: 'terraform-plan',
      exitStatus: EXIT.unreadable,
    },
    { error: new UsageError('x'), name: 'UsageError', code: 'usage', exitStatus: EXIT.usage },
    {
      error: new SettingsError('mode', 'x'),
      name: 'SettingsError',
      code: 'settings',
      exitStatus: EXIT.usage,
    },
    {
      error: new UnscopedActionError('s3:GetObject'),
      name: 'UnscopedActionError',
      code: 'unscoped-action',
      exitStatus: EXIT.failing,
    },
  ];
  for (const { error, name, code, exitStatus } of cases) {
    it(`${name} is a PackError with code ${code} and exit status ${exitStatus}`, () => {
      // Assess
      expect(error).to.be.instanceOf(PackError);
      expect(error).to.be.instanceOf(Error);
      expect(error).to.include({ name, code, exitStatus });
      expect(describeError(error)).to.match(new RegExp(`^${name}: `));
    });
  }

  it('keeps the cause it was given', () => {
    // Prepare
    const cause = new Error('throttled');
    // Act
    const error = new IncompleteSweepError('sweep failed', { cause });
    // Assess
    expect(error.cause).to.equal(cause);
  });

  it('has exit statuses exactly as the README documents them', () => {
    // Assess
    expect(EXIT).to.deep.equal({ done: 0, failing: 1, usage: 2, unreadable: 3 });
  });
});
