import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHeraldMetrics } from '../src/http/metrics/herald-metrics.ts';
import { processMetricsRegistry } from '../src/http/metrics/process-metrics.ts';
import { registerQueueMetrics } from '../src/http/metrics/queue-metrics.ts';
import { systemClock } from '../src/clock.ts';
import type { HeraldDatabase } from '../src/storage/database.ts';

const deploy = path.resolve(import.meta.dirname, '../deploy');

/** Every family Herald exposes; the queue gauges register without touching the database (they read it when scraped). */
function exposedFamilies(): Set<string> {
  const metrics = createHeraldMetrics();
  registerQueueMetrics(metrics.registry, { database: {} as HeraldDatabase, clock: systemClock, cacheTtlMs: 5000 });
  const names = [...metrics.registry.getMetricsAsArray(), ...processMetricsRegistry().getMetricsAsArray()].map((metric) => metric.name);
  return new Set(names);
}

/** The herald_ series a PromQL expression reads, with histogram suffixes mapped to their family. */
function familiesIn(expr: string, families: Set<string>): string[] {
  return [...expr.matchAll(/\bherald_\w+/g)].map(([name]) => (families.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '')));
}

function assertKnown(exprs: readonly string[], where: string): void {
  const families = exposedFamilies();
  let checked = 0;
  for (const expr of exprs) {
    for (const family of familiesIn(expr, families)) {
      assert.ok(families.has(family), `${where} uses ${family}, which Herald does not expose (in: ${expr})`);
      checked++;
    }
  }
  assert.ok(checked > 0, `${where} reads no herald_ metric`);
}

test('the Grafana dashboard is valid JSON whose panels query metrics Herald exposes', () => {
  const dashboard = JSON.parse(fs.readFileSync(path.join(deploy, 'grafana/herald-dashboard.json'), 'utf8'));
  assert.equal(typeof dashboard.title, 'string');
  assert.equal(typeof dashboard.uid, 'string');
  assert.ok(Array.isArray(dashboard.panels) && dashboard.panels.length > 0);
  const ids = dashboard.panels.map((panel: { id: number }) => panel.id);
  assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
  const exprs: string[] = dashboard.panels.flatMap((panel: { title: string; targets: { expr: string }[] }) => {
    assert.ok(panel.targets.length > 0, `panel ${panel.title} has no query`);
    return panel.targets.map((target) => target.expr);
  });
  assertKnown(exprs, 'the dashboard');
  for (const required of ['herald_messages_accepted_total', 'herald_deliveries_total', 'herald_send_duration_seconds_bucket', 'herald_accept_to_sent_seconds_bucket', 'herald_queue_depth', 'herald_queue_oldest_due_seconds', 'herald_callbacks_total']) {
    assert.ok(exprs.some((expr) => expr.includes(required)), `the dashboard shows ${required}`);
  }
  assert.ok(exprs.some((expr) => expr.includes('herald_http_requests_total') && expr.includes('status="429"')), 'the dashboard shows rate-limit refusals');
});

test('the Prometheus rule file is valid YAML (its JSON subset) with alerts on metrics Herald exposes', () => {
  const text = fs.readFileSync(path.join(deploy, 'prometheus/herald-alerts.yml'), 'utf8');
  // YAML comments are the only lines outside the JSON subset the file is written in.
  const rules = JSON.parse(text.split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n'));
  assert.ok(Array.isArray(rules.groups) && rules.groups.length > 0);
  const alerts: { alert: string; expr: string; for: string; labels: { severity: string }; annotations: { summary: string } }[] = rules.groups.flatMap((group: { name: string; rules: unknown[] }) => {
    assert.equal(typeof group.name, 'string');
    return group.rules;
  });
  for (const alert of alerts) {
    assert.match(alert.alert, /^[A-Z][A-Za-z0-9]+$/);
    assert.match(alert.for, /^\d+[smh]$/);
    assert.ok(['warning', 'critical'].includes(alert.labels.severity), `${alert.alert} has a severity`);
    assert.ok(alert.annotations.summary.length > 0);
  }
  assert.deepEqual(
    alerts.map((alert) => alert.alert),
    ['HeraldTargetDown', 'HeraldQueueLagHigh', 'HeraldDeliverySuccessLow', 'HeraldCallbacksFailing', 'HeraldHttp5xxHigh'],
  );
  assertKnown(alerts.filter((alert) => alert.alert !== 'HeraldTargetDown').map((alert) => alert.expr), 'the alert rules');
});
