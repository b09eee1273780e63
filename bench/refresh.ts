/**
 * Refresh cost: evaluations a day on an unchanged 100,000-route estate with RefreshAfterDays at its default (30),
 * against re-reporting everything (ReportUnchanged=true). The plan is the Lambda's own (rules/core/periodic-plan.ts)
 * over what Config would hold after each daily run: every route first reported on day 0, then 120 daily runs.
 * `tsx bench/refresh.ts` runs it alone; `npm run bench` includes it.
 */
import { toEvaluation, type Evaluation } from '../rules/core/delivery';
import { planPeriodicDelivery } from '../rules/core/periodic-plan';
import type { ReportedResult } from '../rules/core/stale';

const DAY_MS = 86_400_000;
const ROUTE_TYPE = 'AWS::ApiGatewayV2::Route';

export interface RefreshFigures {
  readonly routes: number;
  readonly days: number;
  readonly refreshAfterDays: number;
  /** Evaluations sent each day (day 1 first). */
  readonly perDay: readonly number[];
  readonly mean: number;
  readonly max: number;
  readonly min: number;
  /** Oldest result Config held at any run, in days. */
  readonly maxAgeDays: number;
  readonly wallMs: number;
}

export function simulateRefresh(routes = 100_000, days = 120, refreshAfterDays = 30): RefreshFigures {
  const started = performance.now();
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const id = (index: number): string =>
    `arn:aws:apigateway:eu-west-1::/apis/api${Math.floor(index / 10)}/routes/r${index}`;
  const found: Evaluation[] = Array.from({ length: routes }, (_, index) =>
    toEvaluation(
      { resourceType: ROUTE_TYPE, resourceId: id(index) },
      'COMPLIANT',
      'requires JWT',
      new Date(start),
    ),
  );
  const recorded = new Float64Array(routes).fill(start);
  const position = new Map(found.map((evaluation, index) => [evaluation.ComplianceResourceId, index]));
  const perDay: number[] = [];
  let maxAge = 0;
  for (let day = 1; day <= days; day += 1) {
    const now = new Date(start + day * DAY_MS);
    const results: ReportedResult[] = found.map((evaluation, index) => ({
      resourceType: ROUTE_TYPE,
      resourceId: evaluation.ComplianceResourceId,
      compliance: 'COMPLIANT',
      annotation: 'requires JWT',
      recordedAt: new Date(recorded[index] ?? start),
    }));
    for (const at of recorded) maxAge = Math.max(maxAge, (now.getTime() - at) / DAY_MS);
    const plan = planPeriodicDelivery(
      found,
      { readable: true, results },
      {
        reportUnchanged: false,
        refreshAfterDays,
        orderingTimestamp: now,
      },
    );
    for (const evaluation of plan.send) {
      const index = position.get(evaluation.ComplianceResourceId);
      if (index !== undefined) recorded[index] = now.getTime();
    }
    perDay.push(plan.send.length);
  }
  return {
    routes,
    days,
    refreshAfterDays,
    perDay,
    mean: perDay.reduce((sum, value) => sum + value, 0) / perDay.length,
    max: Math.max(...perDay),
    min: Math.min(...perDay),
    maxAgeDays: maxAge,
    wallMs: performance.now() - started,
  };
}

export function refreshSection(out: (line?: string) => void): RefreshFigures {
  const figures = simulateRefresh();
  out(
    `### Refresh: evaluations a day on an unchanged ${figures.routes.toLocaleString('en-US')}-route estate\n`,
  );
  out(
    `Every route first reported on day 0, then ${figures.days} daily runs planned by the Lambda's own code (RefreshAfterDays=${figures.refreshAfterDays}).\n`,
  );
  out('| Reporting | Evaluations a day (mean) | Fewest / most in a day | Oldest result held |');
  out('| --- | ---: | ---: | ---: |');
  out(
    `| RefreshAfterDays=${figures.refreshAfterDays} (default) | ${Math.round(figures.mean).toLocaleString('en-US')} | ${figures.min.toLocaleString('en-US')} / ${figures.max.toLocaleString('en-US')} | ${figures.maxAgeDays.toFixed(0)} days |`,
  );
  out(
    `| ReportUnchanged=true | ${figures.routes.toLocaleString('en-US')} | ${figures.routes.toLocaleString('en-US')} / ${figures.routes.toLocaleString('en-US')} | 1 day |`,
  );
  out();
  out(
    `Share of re-reporting everything: ${((figures.mean / figures.routes) * 100).toFixed(2)} % (1/${figures.refreshAfterDays} = ${((1 / figures.refreshAfterDays) * 100).toFixed(2)} %). Simulation time ${(figures.wallMs / 1000).toFixed(1)} s.\n`,
  );
  return figures;
}

if (require.main === module) {
  refreshSection((line = '') => process.stdout.write(`${line}\n`));
}
