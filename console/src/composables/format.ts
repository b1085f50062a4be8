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
