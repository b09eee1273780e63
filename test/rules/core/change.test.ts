import { expect } from 'chai';
import { appsyncNoApiKey } from '../../../rules/appsync-no-api-key/rule';
import { notEvaluated } from '../../../rules/core/change';
import { mskNoUnauthenticatedAccess } from '../../../rules/msk-no-unauthenticated-access/rule';
import { changeEvent } from '../../helpers/events';
import { handlerOf, installHandlerMocks, putEvaluations, putInputs, tinyEvent } from './handler-harness';
import { fixture, tinyChangeRule } from './support';

describe('rules/core/change (change-triggered rules)', () => {
  installHandlerMocks();

  describe('the evaluations sent', () => {
    it('cuts an annotation to 256 characters', async () => {
      // Prepare
      const long = `${'Widget w-1 has no authentication. '.repeat(20)}Fix it.`;
      // Act
      await handlerOf(tinyChangeRule)(tinyEvent(long));
      // Assess
      const [evaluation] = putEvaluations();
      expect(long.length).to.be.greaterThan(256);
      expect(evaluation?.Annotation).to.have.lengthOf(256);
      expect(evaluation?.Annotation?.endsWith('...')).to.be.true;
      expect(evaluation?.Annotation?.startsWith('Widget w-1 has no authentication.')).to.be.true;
    });

    it('stamps a change evaluation with the configuration item capture time', async () => {
      // Prepare
      const event = tinyEvent('Widget w-1 is open.', { captureTime: '2026-09-30T21:15:42.250Z' });
      // Act
      await handlerOf(tinyChangeRule)(event);
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation?.OrderingTimestamp).to.deep.equal(new Date('2026-09-30T21:15:42.250Z'));
    });

    it('reports resourceType and resourceId exactly as the configuration item has them', async () => {
      // Prepare
      const event = fixture('change-notification-msk.json');
      delete event.ruleParameters;
      // Act
      await handlerOf(mskNoUnauthenticatedAccess)(event);
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation?.ComplianceResourceType).to.equal('AWS::MSK::Cluster');
      expect(evaluation?.ComplianceResourceId).to.equal(
        'arn:aws:kafka:eu-west-1:444455556666:cluster/clickstream/5f1e7c2a-9d3b-4a6e-8c1f-0e2d4b6a8c9e-3',
      );
      expect(evaluation?.ComplianceType).to.equal('COMPLIANT');
    });

    it('sets TestMode: true for the TESTMODE result token', async () => {
      // Act
      await handlerOf(tinyChangeRule)(tinyEvent('Widget w-1 is open.', { resultToken: 'TESTMODE' }));
      // Assess
      const [input] = putInputs();
      expect(input?.TestMode).to.equal(true);
      expect(input?.ResultToken).to.equal('TESTMODE');
    });

    it('leaves TestMode unset for a real result token', async () => {
      // Act
      await handlerOf(tinyChangeRule)(tinyEvent('Widget w-1 is open.'));
      // Assess
      const [input] = putInputs();
      expect(input?.TestMode).to.be.undefined;
      expect(input?.ResultToken).to.equal('eyJlbmNyeXB0ZWREYXRhIjpbLTEw');
    });
  });

  describe('resources that are not evaluated', () => {
    it('reports a deleted resource NOT_APPLICABLE (resource-deleted-appsync.json)', async () => {
      // Prepare
      const event = fixture('resource-deleted-appsync.json');
      // Act
      const result = await handlerOf(appsyncNoApiKey)(event);
      // Assess
      expect(result.evaluations).to.have.lengthOf(1);
      const [evaluation] = putEvaluations();
      expect(evaluation).to.deep.include({
        ComplianceResourceType: 'AWS::AppSync::GraphQLApi',
        ComplianceResourceId: 'arn:aws:appsync:eu-west-1:444455556666:apis/bq4t7xk2mnd3lf',
        ComplianceType: 'NOT_APPLICABLE',
        OrderingTimestamp: new Date('2026-10-05T16:20:00.000Z'),
      });
      expect(evaluation?.Annotation).to.include('ResourceDeleted');
    });

    it('reports a resource that left the rule scope NOT_APPLICABLE', async () => {
      // Prepare
      const event = changeEvent(
        {
          resourceType: 'AWS::AppSync::GraphQLApi',
          resourceId: 'arn:aws:appsync:eu-west-1:444455556666:apis/open1',
          configuration: { Name: 'open', AuthenticationType: 'API_KEY' },
        },
        { eventLeftScope: true },
      );
      // Act
      await handlerOf(appsyncNoApiKey)(event);
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation?.ComplianceType).to.equal('NOT_APPLICABLE');
      expect(evaluation?.Annotation).to.include('left the scope');
    });

    it('reports a ResourceNotRecorded item NOT_APPLICABLE', async () => {
      // Prepare
      const event = changeEvent({
        resourceType: 'AWS::AppSync::GraphQLApi',
        resourceId: 'arn:aws:appsync:eu-west-1:444455556666:apis/open2',
        configuration: null,
        status: 'ResourceNotRecorded',
      });
      // Act
      await handlerOf(appsyncNoApiKey)(event);
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation?.ComplianceType).to.equal('NOT_APPLICABLE');
      expect(evaluation?.Annotation).to.include('ResourceNotRecorded');
    });

    it('reports a configuration item of another resource type NOT_APPLICABLE, under its own type and id', async () => {
      // Prepare
      const event = changeEvent({
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'logs-bucket',
        configuration: { AuthenticationType: 'API_KEY' },
      });
      // Act
      await handlerOf(appsyncNoApiKey)(event);
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation).to.deep.include({
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'logs-bucket',
        ComplianceType: 'NOT_APPLICABLE',
      });
    });
  });

  describe('exceptions on change-triggered rules', () => {
    it('turns a failing resource with a valid exception tag COMPLIANT with an Exception: annotation', async () => {
      // Prepare
      const event = changeEvent({
        resourceType: 'AWS::AppSync::GraphQLApi',
        resourceId: 'arn:aws:appsync:eu-west-1:444455556666:apis/legacy',
        configuration: { Name: 'legacy', AuthenticationType: 'API_KEY' },
        tags: {
          'authn-exception/AppSync.5': 'public catalogue read by partners',
          'authn-exception-expires/AppSync.5': '2026-10-04',
        },
      });
      // Act
      await handlerOf(appsyncNoApiKey)(event);
      // Assess: an exception expiring today (NOW is 2026-10-04) is still valid.
      const [evaluation] = putEvaluations();
      expect(evaluation?.ComplianceType).to.equal('COMPLIANT');
      expect(evaluation?.Annotation).to.equal(
        'Exception: public catalogue read by partners (expires 2026-10-04)',
      );
    });
  });

  describe('notEvaluated: what a change-triggered rule does not judge, with core codes', () => {
    const rule = { resourceType: 'AWS::MSK::Cluster' };
    const rows: {
      title: string;
      item: { resourceType: string; configurationItemStatus: string };
      left: boolean;
      code: string | undefined;
      annotation?: RegExp;
    }[] = [
      {
        title: 'another resource type',
        item: { resourceType: 'AWS::DMS::Endpoint', configurationItemStatus: 'OK' },
        left: false,
        code: 'resource-type-not-evaluated',
        annotation: /^Not evaluated: this rule evaluates only AWS::MSK::Cluster\.$/,
      },
      {
        title: 'a deleted resource',
        item: { resourceType: 'AWS::MSK::Cluster', configurationItemStatus: 'ResourceDeleted' },
        left: false,
        code: 'resource-status-not-evaluated',
        annotation: /configuration item status is ResourceDeleted/,
      },
      {
        title: 'a resource that left the scope',
        item: { resourceType: 'AWS::MSK::Cluster', configurationItemStatus: 'OK' },
        left: true,
        code: 'resource-left-scope',
        annotation: /left the scope of this rule/,
      },
      {
        title: 'a recorded resource in scope (judged by the rule)',
        item: { resourceType: 'AWS::MSK::Cluster', configurationItemStatus: 'ResourceDiscovered' },
        left: false,
        code: undefined,
      },
    ];
    for (const row of rows) {
      it(`${row.title} → ${row.code ?? 'evaluated'}`, () => {
        // Act
        const verdict = notEvaluated(rule, row.item, row.left);
        // Assess
        expect(verdict?.code).to.equal(row.code);
        if (verdict !== undefined) {
          expect(verdict.compliance).to.equal('NOT_APPLICABLE');
          expect(verdict.annotation).to.match(row.annotation!);
        }
      });
    }
  });
});
