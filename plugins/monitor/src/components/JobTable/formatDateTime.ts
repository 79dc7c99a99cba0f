/**
 * A date-time in the viewer's locale and time zone, to the second.
 */
export function formatDateTime(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(new Date(iso));
}
