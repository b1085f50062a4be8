import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { BenchScale } from './bench-scales.ts';
import type { Figure, ScenarioResult } from './scenario-kit.ts';

/** The machine, the printed table and `bench/results.json`. */

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres?: string;
}

export interface ScenarioFailure {
  scenario: string;
  dialect: string;
  error: string;
}

export interface BenchReport {
  generatedAt: string;
  scale: BenchScale['name'];
  machine: MachineInfo;
  results: ScenarioResult[];
  failures: ScenarioFailure[];
}

export async function describeMachine(postgresAdminUrl: string | undefined): Promise<MachineInfo> {
  const cpus = os.cpus();
  const machine: MachineInfo = {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
  if (postgresAdminUrl) {
    const client = new pg.Client({ connectionString: postgresAdminUrl });
    await client.connect();
    try {
      machine.postgres = (await client.query<{ server_version: string }>('show server_version')).rows[0].server_version;
    } finally {
      await client.end();
    }
  }
  return machine;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function figureRow(result: ScenarioResult, figure: Figure): string[] {
  return [
    result.scenario,
    figure.label,
    `${formatNumber(figure.value)} ${figure.unit}`,
    figure.baseline ? `${formatNumber(figure.baseline.value)} ${figure.unit} (${figure.baseline.label})` : '',
    figure.ratio === undefined || Number.isNaN(figure.ratio) ? '' : formatNumber(figure.ratio),
    figure.target ? `${figure.target.met ? 'met' : 'MISSED'}: ${figure.target.text}` : '',
  ];
}

export function formatReport(report: BenchReport): string {
  const lines = [
    `Herald benchmarks (${report.scale}) — ${report.generatedAt}`,
    `${report.machine.cpuModel}, ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB, ${report.machine.os}, Node ${report.machine.node}` +
      (report.machine.postgres ? `, PostgreSQL ${report.machine.postgres}` : ''),
  ];
  const header = ['scenario', 'figure', 'Herald', 'baseline (same run)', 'ratio', 'target'];
  for (const dialect of [...new Set(report.results.map((result) => result.dialect))]) {
    const rows = report.results.filter((result) => result.dialect === dialect).flatMap((result) => result.figures.map((figure) => figureRow(result, figure)));
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
    const loads = report.results.filter((result) => result.dialect === dialect && result.loadAverage).map((result) => result.loadAverage!.before.toFixed(1));
    const title = dialect === 'none' ? 'No database' : dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    lines.push('', `${title} (1-min load average before each scenario: ${loads.join(', ')})`, render(header), render(widths.map((width) => '-'.repeat(width))), ...rows.map(render));
  }
  for (const failure of report.failures) lines.push('', `FAILED ${failure.scenario} on ${failure.dialect}: ${failure.error}`);
  return lines.join('\n');
}

export function writeReport(file: string, report: BenchReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
