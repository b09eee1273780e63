/** hook/response: the answer's shape, its message limit and the mask for secrets. */
import { expect } from 'chai';
import {
  MAX_HOOK_MESSAGE,
  fitMessage,
  joinFindings,
  maskSecrets,
  respond,
  secretValues,
} from '../../hook/response';

describe('hook/response', () => {
  it('answers in the documented shape, leaving out what is not set', () => {
    // Act
    const answer = respond('IN_PROGRESS', 'waiting', {
      token: 'tok-1',
      callbackContext: { authnPackInvocation: 2 },
      callbackDelaySeconds: 10,
    });
    // Assess
    expect(answer).to.deep.equal({
      hookStatus: 'IN_PROGRESS',
      message: 'waiting',
      clientRequestToken: 'tok-1',
      callbackContext: { authnPackInvocation: 2 },
      callbackDelaySeconds: 10,
    });
  });

  it('finds secret-bearing values at any depth, by property name, and only those', () => {
    // Act
    const secrets = secretValues(
      {
        Password: 'pw-for-dms-1',
        AuthToken: 'redis-token-1',
        Sasl: { Scram: { SecretArnList: ['arn:aws:secretsmanager:eu-west-1:1:secret:AmazonMSK_a'] } },
        Username: 'dms',
        Tags: [{ Key: 'team', Value: 'payments' }],
        MongoDbSettings: { AuthType: 'password' },
      },
      { KafkaSaslPassword: 'kafka-pass-1' },
    );
    // Assess
    expect(secrets).to.have.members([
      'pw-for-dms-1',
      'redis-token-1',
      'arn:aws:secretsmanager:eu-west-1:1:secret:AmazonMSK_a',
      'kafka-pass-1',
    ]);
  });

  it('masks every occurrence of a secret, the longest first', () => {
    // Act
    const masked = maskSecrets(
      'a sekrit-long and sekrit',
      ['sekrit', 'sekrit-long'].sort((a, b) => b.length - a.length),
    );
    // Assess
    expect(masked).to.equal('a **** and ****');
  });

  it('masks a secret before cutting the message, so no part of it survives the cut', () => {
    // Prepare
    const secret = 'S'.repeat(40);
    const text = `${'x'.repeat(MAX_HOOK_MESSAGE - 10)}${secret}`;
    // Act
    const answer = respond('FAILED', text, { errorCode: 'NonCompliant', secrets: [secret] });
    // Assess
    expect(answer.message).to.not.include('SSSS');
    expect(answer.message.length).to.be.at.most(MAX_HOOK_MESSAGE);
  });

  it('keeps a message on one line, and never empty', () => {
    // Assess
    expect(fitMessage('  two\n lines ')).to.equal('two lines');
    expect(fitMessage('   ')).to.equal('authn-pack hook: no message');
  });

  it('gives each finding an equal share of the room when together they are too long', () => {
    // Prepare
    const long = `[MSK.6] A: ${'a'.repeat(2_000)}`;
    const short = '[DMS.11] B: endpoint fails';
    // Act
    const joined = joinFindings([long, short]);
    // Assess
    expect(joined.length).to.be.at.most(MAX_HOOK_MESSAGE);
    expect(joined).to.include('[DMS.11] B: endpoint fails');
    expect(joined).to.match(/^\[MSK\.6\] A: a+\.\.\. \| /);
  });
});
