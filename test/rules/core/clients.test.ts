import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  CLIENT_CONNECTION_TIMEOUT_MS,
  CLIENT_MAX_ATTEMPTS,
  CLIENT_REQUEST_TIMEOUT_MS,
  assumeExecutionRole,
  clientSettings,
  createConfigClient,
  createStsClient,
  parseArn,
  partitionOfRegion,
} from '../../../rules/core/clients';
import { RULE_ARN } from '../../helpers/events';
import { rejectionOf } from './support';

const TARGET = {
  partition: 'aws',
  accountId: '111122223333',
  roleName: 'authn-pack-member',
  sessionName: 'authn-pack-MSK.6',
};

/** Every client gives up on a call that is not answered (the SDK's own default is to wait for ever). */
const TIMEOUTS = {
  connectionTimeout: CLIENT_CONNECTION_TIMEOUT_MS,
  requestTimeout: CLIENT_REQUEST_TIMEOUT_MS,
  throwOnRequestTimeout: true,
};

describe('rules/core/clients', () => {
  describe('clientSettings', () => {
    it('uses adaptive retries and leaves region and credentials to the SDK when not given', () => {
      // Act and Assess
      expect(clientSettings()).to.deep.equal({
        retryMode: 'adaptive',
        maxAttempts: CLIENT_MAX_ATTEMPTS,
        requestHandler: TIMEOUTS,
      });
    });

    it('carries the region and credentials it is given', () => {
      // Prepare
      const credentials = { accessKeyId: 'AKIA', secretAccessKey: 's', sessionToken: 't' };
      // Act
      const settings = clientSettings('cn-north-1', credentials);
      // Assess
      expect(settings).to.deep.equal({
        retryMode: 'adaptive',
        maxAttempts: CLIENT_MAX_ATTEMPTS,
        requestHandler: TIMEOUTS,
        region: 'cn-north-1',
        credentials,
      });
    });

    it('creates Config and STS clients in the region asked for', async () => {
      // Act
      const config = createConfigClient(clientSettings('eu-west-1'));
      const sts = createStsClient(clientSettings('eu-west-1'));
      // Assess
      expect(config).to.be.instanceOf(ConfigServiceClient);
      expect(sts).to.be.instanceOf(STSClient);
      expect(await config.config.region()).to.equal('eu-west-1');
      expect(await sts.config.region()).to.equal('eu-west-1');
    });
  });

  describe('partitionOfRegion', () => {
    it('knows the partitions by region prefix', () => {
      // Act and Assess
      expect(partitionOfRegion('eu-west-1')).to.equal('aws');
      expect(partitionOfRegion('cn-northwest-1')).to.equal('aws-cn');
      expect(partitionOfRegion('us-gov-west-1')).to.equal('aws-us-gov');
      expect(partitionOfRegion('us-iso-east-1')).to.equal('aws-iso');
      expect(partitionOfRegion('us-isob-east-1')).to.equal('aws-iso-b');
      expect(partitionOfRegion('')).to.equal('aws');
    });
  });

  describe('parseArn', () => {
    it('reads partition, region and account of a Config rule ARN', () => {
      // Act and Assess
      expect(parseArn(RULE_ARN)).to.deep.equal({
        partition: 'aws',
        region: 'eu-west-1',
        accountId: '444455556666',
      });
      expect(
        parseArn('arn:aws-cn:config:cn-north-1:777788889999:config-rule/config-rule-cn42'),
      ).to.deep.equal({
        partition: 'aws-cn',
        region: 'cn-north-1',
        accountId: '777788889999',
      });
    });

    it('is undefined for anything that is not a regional ARN', () => {
      // Act and Assess
      expect(parseArn(undefined)).to.be.undefined;
      expect(parseArn('')).to.be.undefined;
      expect(parseArn('config-rule-7x2mqz')).to.be.undefined;
      expect(parseArn('arn:aws:iam::111122223333:role/x')).to.be.undefined;
      expect(parseArn('urn:aws:config:eu-west-1:1:config-rule/x')).to.be.undefined;
    });
  });

  describe('assumeExecutionRole', () => {
    let sts: AwsClientStub<STSClient>;

    beforeEach(() => {
      sts = mockClient(STSClient);
    });

    afterEach(() => {
      sts.restore();
    });

    it('assumes arn:<partition>:iam::<account>:role/<name> for 15 minutes and returns its credentials', async () => {
      // Prepare
      const expiration = new Date('2026-10-04T06:45:00.000Z');
      sts.on(AssumeRoleCommand).resolves({
        Credentials: {
          AccessKeyId: 'ASIA1',
          SecretAccessKey: 'secret',
          SessionToken: 'token',
          Expiration: expiration,
        },
      });
      // Act
      const credentials = await assumeExecutionRole(new STSClient({}), {
        ...TARGET,
        partition: 'aws-us-gov',
      });
      // Assess
      expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).to.deep.equal({
        RoleArn: 'arn:aws-us-gov:iam::111122223333:role/authn-pack-member',
        RoleSessionName: 'authn-pack-MSK.6',
        DurationSeconds: 900,
      });
      expect(credentials).to.deep.equal({
        accessKeyId: 'ASIA1',
        secretAccessKey: 'secret',
        sessionToken: 'token',
        expiration,
      });
    });

    it('cuts the session name to the 64 characters STS allows', async () => {
      // Prepare
      sts.on(AssumeRoleCommand).resolves({
        Credentials: {
          AccessKeyId: 'a',
          SecretAccessKey: 's',
          SessionToken: undefined,
          Expiration: undefined,
        },
      });
      // Act
      const credentials = await assumeExecutionRole(new STSClient({}), {
        ...TARGET,
        sessionName: 's'.repeat(100),
      });
      // Assess
      expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleSessionName).to.have.lengthOf(64);
      expect(credentials).to.deep.equal({ accessKeyId: 'a', secretAccessKey: 's' });
    });

    it('rejects naming the role and the reason when AssumeRole is denied', async () => {
      // Prepare
      const denied = Object.assign(
        new Error('User: arn:aws:sts::1:assumed-role/fn is not authorized to perform: sts:AssumeRole'),
        {
          name: 'AccessDenied',
        },
      );
      sts.on(AssumeRoleCommand).rejects(denied);
      // Act
      const error = await rejectionOf(assumeExecutionRole(new STSClient({}), TARGET));
      // Assess
      expect(error.message).to.equal(
        `Could not assume the execution role arn:aws:iam::111122223333:role/authn-pack-member: AccessDenied: ${denied.message}`,
      );
      expect(error.cause).to.equal(denied);
    });

    it('rejects when STS returns no credentials', async () => {
      // Prepare
      sts.on(AssumeRoleCommand).resolves({});
      // Act
      const error = await rejectionOf(assumeExecutionRole(new STSClient({}), TARGET));
      // Assess
      expect(error.message).to.equal(
        'Assuming arn:aws:iam::111122223333:role/authn-pack-member returned no credentials',
      );
    });
  });
});
