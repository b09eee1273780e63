/**
 * The sensitive-value guard on its own: what it replaces, which secrets it remembers (from the values it redacts and
 * from sensitive root variables and outputs), and that a copy of a secret anywhere comes back as SENSITIVE.
 */
import { expect } from 'chai';
import {
  MIN_REPEATED_SECRET,
  SENSITIVE,
  SecretGuard,
  SensitiveValue,
} from '../../../../rules/core/terraform/sensitive';

const SECRET = 'hunter2-correct-horse';

describe('rules/core/terraform/sensitive', () => {
  describe('SENSITIVE', () => {
    it('prints and serialises as (sensitive), never as what it hides', () => {
      // Prepare
      const value = { password: SENSITIVE };
      // Act
      const json = JSON.stringify(value);
      // Assess
      expect(json).to.equal('{"password":"(sensitive)"}');
      expect(String(SENSITIVE)).to.equal('(sensitive)');
      expect(Object.isFrozen(SENSITIVE)).to.equal(true);
    });
  });

  describe('redact', () => {
    it('replaces what after_sensitive marks, in nested maps and lists, and leaves the rest', () => {
      // Prepare
      const guard = new SecretGuard();
      const values = {
        name: 'endpoint',
        password: SECRET,
        settings: [{ user: 'admin', key: 'key-material-1234' }],
      };
      // Act
      const redacted = guard.redact(values, { password: true, settings: [{ key: true }] });
      // Assess
      expect(redacted).to.deep.equal({
        name: 'endpoint',
        password: SENSITIVE,
        settings: [{ user: 'admin', key: SENSITIVE }],
      });
      expect(values.password, 'the input is not changed').to.equal(SECRET);
    });

    it('keeps an unset sensitive value null: not set is not the same as set and hidden', () => {
      // Prepare
      const guard = new SecretGuard();
      // Act
      const redacted = guard.redact({ auth_token: null }, { auth_token: true });
      // Assess
      expect(redacted).to.deep.equal({ auth_token: null });
    });

    it('hands back the very value when nothing in it is marked', () => {
      // Prepare
      const guard = new SecretGuard();
      const values = { password: SECRET };
      // Act
      const redacted = guard.redact(values, { password: false });
      // Assess
      expect(redacted).to.equal(values);
    });
  });

  describe('guard', () => {
    it('a string that repeats a redacted secret comes back as SENSITIVE, also inside lists and maps', () => {
      // Prepare
      const guard = new SecretGuard();
      guard.redact({ password: SECRET }, { password: true });
      // Act
      const guarded = guard.guard({
        note: `pw is ${SECRET}`,
        list: ['plain', `${SECRET}!`],
        other: 'nothing secret here',
      });
      // Assess
      expect(guarded).to.deep.equal({
        note: SENSITIVE,
        list: ['plain', SENSITIVE],
        other: 'nothing secret here',
      });
    });

    it('catches a secret remembered after an earlier guard call', () => {
      // Prepare
      const guard = new SecretGuard();
      guard.redact({ password: 'first-secret-value' }, { password: true });
      expect(guard.guard('x first-secret-value')).to.equal(SENSITIVE);
      guard.redact({ password: 'second-secret-value' }, { password: true });
      // Act
      const guarded = guard.guard('x second-secret-value');
      // Assess
      expect(guarded).to.equal(SENSITIVE);
    });

    it('tells apart secrets that start alike', () => {
      // Prepare
      const guard = new SecretGuard();
      guard.redact({ a: 'shared-prefix-one', b: 'shared-prefix-two' }, { a: true, b: true });
      // Act
      const guarded = ['shared-prefix-two', 'shared-prefix-three'].map((value) => guard.guard(value));
      // Assess
      expect(guarded).to.deep.equal([SENSITIVE, 'shared-prefix-three']);
    });

    it(`does not search for secrets shorter than ${MIN_REPEATED_SECRET} characters (they match ordinary words)`, () => {
      // Prepare
      const guard = new SecretGuard();
      const short = 'x'.repeat(MIN_REPEATED_SECRET - 1);
      guard.redact({ short, long: SECRET }, { short: true, long: true });
      // Act
      const guarded = guard.guard(`a ${short} b`);
      // Assess
      expect(guarded).to.equal(`a ${short} b`);
    });

    it('leaves SENSITIVE, numbers and anything else that is not text as it is', () => {
      // Prepare
      const guard = new SecretGuard();
      guard.redact({ password: SECRET }, { password: true });
      // Act
      const guarded = [SENSITIVE, 42, true, null].map((value) => guard.guard(value));
      // Assess
      expect(guarded).to.deep.equal([SENSITIVE, 42, true, null]);
      expect(guarded[0]).to.be.instanceOf(SensitiveValue);
    });
  });

  describe('collectSensitiveInputs', () => {
    it('remembers the given value and the default of a sensitive root variable, not of other variables', () => {
      // Prepare
      const guard = new SecretGuard();
      const document = {
        configuration: {
          root_module: {
            variables: {
              db_password: { sensitive: true, default: 'default-password-42' },
              region: { default: 'eu-west-1-region' },
            },
          },
        },
        variables: { db_password: { value: SECRET }, region: { value: 'eu-west-1-region' } },
      };
      // Act
      guard.collectSensitiveInputs(document);
      // Assess
      expect(guard.guard(`uses ${SECRET}`)).to.equal(SENSITIVE);
      expect(guard.guard('uses default-password-42')).to.equal(SENSITIVE);
      expect(guard.guard('uses eu-west-1-region')).to.equal('uses eu-west-1-region');
    });

    it('remembers sensitive outputs of a plan (output_changes, planned_values) and of a state (values)', () => {
      // Prepare
      const guard = new SecretGuard();
      const document = {
        output_changes: {
          token: { change: { after: 'output-change-secret', after_sensitive: true } },
          plain: { change: { after: 'output-change-plain', after_sensitive: false } },
        },
        planned_values: { outputs: { key: { sensitive: true, value: ['planned-output-secret'] } } },
        values: { outputs: { conn: { sensitive: true, value: { dsn: 'state-output-secret' } } } },
      };
      // Act
      guard.collectSensitiveInputs(document);
      // Assess
      const guarded = [
        'output-change-secret',
        'planned-output-secret',
        'state-output-secret',
        'output-change-plain',
      ].map((value) => guard.guard(value));
      expect(guarded).to.deep.equal([SENSITIVE, SENSITIVE, SENSITIVE, 'output-change-plain']);
    });
  });
});
