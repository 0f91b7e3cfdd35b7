/**
 * CSV (RFC 4180) cells that are safe to open in a spreadsheet: a cell that starts with = + - @ (or a
 * tab / carriage return, which some spreadsheets strip before looking) is prefixed with an apostrophe,
 * so it is shown as text and never run as a formula; a cell holding a comma, quote or line break is
 * quoted with inner quotes doubled. Lines end with CRLF, as RFC 4180 says.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function csvRow(values: readonly string[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
