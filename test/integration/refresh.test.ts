/**
 * RefreshAfterDays over simulated days against the local Config stand-in (scripts/config-stub.ts) through the real
 * Config client: the stand-in records each result's time (ResultRecordedTime) on its own clock, and daily runs of
 * the periodic handler re-report unchanged results so that none Config holds is ever older than the window, spread
 * evenly across the days.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import { createConfigRuleHandler } from '../../rules/core/handler';
import { silentLog } from '../../rules/core/log';
import { startConfigStub, type ConfigStub } from '../../scripts/config-stub';
import { scheduledEvent } from '../helpers/events';
import { fastRetry, routeRuleWithSweep, serviceClientSpy, sweptRoutes } from '../rules/core/support';

const DAY = 86_400_000;
const START = Date.parse('2026-06-01T00:00:00.000Z');

describe('integration: RefreshAfterDays over 60 daily runs against the Config stand-in', function () {
  this.timeout(120_000);
  let stub: ConfigStub;
  let clock = START;

  beforeEach(async () => {
    clock = START;
    stub = await startConfigStub({ now: () => clock });
  });

  afterEach(async () => {
    await stub.stop();
  });

  async function dailyRuns(routes: number, days: number, ruleParameters: Record<string, string> = {}) {
    const { rule } = routeRuleWithSweep(sweptRoutes(routes));
    const handler = createConfigRuleHandler(rule, {
      createConfigClient: (settings) =>
        new ConfigServiceClient({
          ...settings,
          endpoint: stub.endpoint,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        }),
      createServiceClient: serviceClientSpy(),
      retry: fastRetry().policy,
      log: silentLog,
    });
    const perDay: number[] = [];
    let oldestDays = 0;
    for (let day = 0; day <= days; day += 1) {
      clock = START + day * DAY;
      for (const at of stub.recordedAt.values()) oldestDays = Math.max(oldestDays, (clock - at) / DAY);
      const result = await handler(
        scheduledEvent({ notificationCreationTime: new Date(clock).toISOString(), ruleParameters }),
      );
      perDay.push(result.delivered);
    }
    return { perDay, oldestDays };
  }

  it('re-reports an unchanged estate about 1/30 of it a day, and no result is ever older than 30 days', async () => {
    // Act
    const { perDay, oldestDays } = await dailyRuns(600, 60);
    // Assess: day 0 reports everything; then ~20 a day (600/30), one refresh per route per 30 days.
    expect(perDay[0]).to.equal(600);
    const later = perDay.slice(1);
    for (const [index, sent] of later.entries()) expect(sent, `day ${index + 1}`).to.be.within(5, 45);
    expect(later.reduce((sum, sent) => sum + sent, 0)).to.be.within(1_150, 1_200);
    expect(oldestDays).to.be.at.most(30);
  });

  it('with RefreshAfterDays=7 renews within a week', async () => {
    // Act
    const { perDay, oldestDays } = await dailyRuns(140, 21, { RefreshAfterDays: '7' });
    // Assess
    expect(oldestDays).to.be.at.most(7);
    expect(perDay.slice(1).reduce((sum, sent) => sum + sent, 0)).to.be.within(140 * 3 - 20, 140 * 3);
  });
});
