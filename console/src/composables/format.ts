/** Timestamps in the user's locale and time zone; `—` for none. */
export function formatTime(value: string | null | undefined, locale: string): string {
  if (!value) return '—';
  return new Date(value).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Element Plus tag colours for message and delivery statuses. */
export function statusTagType(status: string): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  if (['completed', 'sent', 'delivered', 'read', 'acknowledged'].includes(status)) return 'success';
  if (['failed', 'dead', 'rejected'].includes(status)) return 'danger';
  if (['partially_failed', 'retrying', 'skipped'].includes(status)) return 'warning';
  if (['canceled', 'recalled', 'expired'].includes(status)) return 'info';
  return 'primary';
}

/** A comma-separated list as typed (tags may hold spaces): trimmed, empty entries dropped. */
export function commaList(text: string): string[] {
  return text.split(',').map((entry) => entry.trim()).filter(Boolean);
}

/** A latency in milliseconds as people read it (ms, s, min, h); `—` for none. */
export function formatDurationMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const scaled = (value: number, unit: string) => `${Number(value.toFixed(1))} ${unit}`;
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return scaled(ms / 1000, 's');
  if (ms < 3_600_000) return scaled(ms / 60_000, 'min');
  return scaled(ms / 3_600_000, 'h');
}
