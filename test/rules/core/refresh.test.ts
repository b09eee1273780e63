/**
 * When unchanged results are re-reported: never later than RefreshAfterDays (plus one run), and spread so an estate
 * reported on one day costs about 1/RefreshAfterDays of itself a day, not everything on one day.
 */
import { expect } from 'chai';
import { refreshDue, refreshPhaseMs } from '../../../rules/core/refresh';
import { ROUTE_TYPE, routeId } from './support';

const DAY = 86_400_000;
const START = new Date('2026-01-01T00:00:00.000Z').getTime();

/** Simulates daily runs over an unchanged estate first reported at START; returns re-reports per day. */
function simulate(
  count: number,
  days: number,
  refreshAfterDays: number,
): { perDay: number[]; maxAgeDays: number } {
  const recorded = Array.from({ length: count }, () => START);
  const perDay: number[] = [];
  let maxAge = 0;
  for (let day = 1; day <= days; day += 1) {
    const now = new Date(START + day * DAY);
    let sent = 0;
    recorded.forEach((at, index) => {
      const resource = { resourceType: ROUTE_TYPE, resourceId: routeId(Math.floor(index / 40), index % 40) };
      maxAge = Math.max(maxAge, (now.getTime() - at) / DAY);
      if (refreshDue({ ...resource, recordedAt: new Date(at) }, now, refreshAfterDays)) {
        recorded[index] = now.getTime();
        sent += 1;
      }
    });
    perDay.push(sent);
  }
  return { perDay, maxAgeDays: maxAge };
}

describe('rules/core/refresh', () => {
  it('re-reports every result at most RefreshAfterDays after it was recorded (daily runs)', () => {
    // Act
    const { maxAgeDays } = simulate(2_000, 120, 30);
    // Assess
    expect(maxAgeDays).to.be.at.most(30);
  });

  it('spreads an estate reported on one day evenly: about 1/30 of it a day, from the first day', () => {
    // Act
    const { perDay } = simulate(6_000, 90, 30);
    // Assess: 200 a day on average, no day far off it, and exactly one refresh per resource per 30 days.
    for (const [index, sent] of perDay.entries()) expect(sent, `day ${index + 1}`).to.be.within(130, 270);
    const total = perDay.reduce((sum, sent) => sum + sent, 0);
    expect(total).to.be.within(6_000 * 3 - 200, 6_000 * 3);
  });

  it('re-reports a result older than RefreshAfterDays at once, whatever its phase', () => {
    // Prepare
    const now = new Date(START + 100 * DAY);
    // Act and Assess
    for (let index = 0; index < 200; index += 1) {
      const resource = { resourceType: ROUTE_TYPE, resourceId: routeId(0, index) };
      expect(
        refreshDue({ ...resource, recordedAt: new Date(now.getTime() - 30 * DAY - 1) }, now, 30),
      ).to.equal(true);
    }
  });

  it('does not re-report a result recorded in this run', () => {
    // Prepare
    const now = new Date(START + 10 * DAY);
    // Act and Assess
    expect(
      refreshDue({ resourceType: ROUTE_TYPE, resourceId: routeId(0, 1), recordedAt: now }, now, 30),
    ).to.equal(false);
  });

  it('re-reports a result whose recording time Config did not say', () => {
    // Act and Assess
    expect(refreshDue({ resourceType: ROUTE_TYPE, resourceId: routeId(0, 1) }, new Date(START), 30)).to.equal(
      true,
    );
  });

  it('gives each resource a stable phase inside the window', () => {
    // Act
    const phase = refreshPhaseMs(ROUTE_TYPE, routeId(3, 4), 30 * DAY);
    // Assess
    expect(refreshPhaseMs(ROUTE_TYPE, routeId(3, 4), 30 * DAY)).to.equal(phase);
    expect(phase).to.be.within(0, 30 * DAY);
    expect(refreshPhaseMs(ROUTE_TYPE, routeId(3, 5), 30 * DAY)).to.not.equal(phase);
  });
});
