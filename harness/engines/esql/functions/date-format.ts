/** The common letters of Java's DateTimeFormatter patterns, in UTC. */
export function formatJavaDate(ms: number, pattern: string): string {
  const d = new Date(ms);
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  return pattern.replace(/'([^']*)'|y+|M+|d+|H+|h+|m+|s+|S+|E+|a|X+|Z+/g, (tok, lit: string | undefined) => {
    if (lit !== undefined) return lit;
    const n = tok.length;
    switch (tok[0]) {
      case 'y':
        return n === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), n);
      case 'M':
        return n >= 4 ? (MONTHS[d.getUTCMonth()] as string) : n === 3 ? (MONTHS[d.getUTCMonth()] as string).slice(0, 3) : pad(d.getUTCMonth() + 1, n);
      case 'd':
        return pad(d.getUTCDate(), n);
      case 'H':
        return pad(d.getUTCHours(), n);
      case 'h':
        return pad(d.getUTCHours() % 12 || 12, n);
      case 'm':
        return pad(d.getUTCMinutes(), n);
      case 's':
        return pad(d.getUTCSeconds(), n);
      case 'S':
        return pad(d.getUTCMilliseconds(), 3).slice(0, n).padEnd(n, '0');
      case 'E':
        return n >= 4 ? (DAYS[d.getUTCDay()] as string) : (DAYS[d.getUTCDay()] as string).slice(0, 3);
      case 'a':
        return d.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'X':
        return 'Z';
      case 'Z':
        return '+0000';
      default:
        return tok;
    }
  });
}
