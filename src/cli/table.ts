/**
 * Aligned text tables and key/value blocks for human output. Every cell is made safe for a
 * terminal: a phone controls its User-Agent, and escape sequences in it must not reach the
 * operator's screen.
 */

export interface Column<Row> {
  header: string;
  cell(row: Row): string;
}

const UNSAFE = /[\p{Cc}\u2028\u2029]/gu;

/** Control characters shown as `\xNN` / `\u{NNNN}` instead of being interpreted by the terminal. */
export function safe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

const width = (text: string) => [...text].length;

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

/** Header line plus one line per row; columns separated by two spaces; no trailing blanks. */
export function renderTable<Row>(columns: ReadonlyArray<Column<Row>>, rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((c) => safe(c.cell(row))));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i]!))));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : pad(v, widths[i]!))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}

/** `key   value` lines, keys aligned. */
export function renderFields(fields: ReadonlyArray<[string, string]>): string {
  const keyWidth = Math.max(...fields.map(([k]) => width(k)));
  return fields.map(([k, v]) => `${pad(k, keyWidth)}  ${safe(v)}`.trimEnd()).join('\n') + '\n';
}

/** `-` for nothing, so columns never look shifted. */
export function orDash(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '-' : value;
}

/** 3725 s -> "1h02m05s"; 45 -> "45s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${String(rest).padStart(2, '0')}s`;
  if (m > 0) return `${m}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

/** `192.0.2.1:5060`, `[2001:db8::1]:5060`. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
