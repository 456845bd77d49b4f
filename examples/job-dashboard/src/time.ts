/** An ISO-8601 instant as "2026-10-02 09:15:00 UTC": the same for every viewer, like the upstream's. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
