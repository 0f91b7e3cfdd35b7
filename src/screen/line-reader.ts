/**
 * NDJSON lines of one file or one byte range of a file, with exact line numbers: split on "\n" (a
 * trailing "\r" is dropped, a UTF-8 byte-order mark at the start of the file too), decoded as UTF-8.
 * A plain file can be read in byte ranges by several workers: a range owns the lines that START inside
 * it (the first partial line belongs to the range before, the last line is read to its end even past
 * the range). A `.gz` file is one range. A line longer than `maxLineBytes` is reported as too long
 * (text null) without being held in memory. Blank lines are yielded too (as ""), so numbering stays exact.
 */
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";

export interface LineRange {
  file: string;
  /** Byte offsets in the (uncompressed) plain file; gz files: 0 and Infinity. */
  start: number;
  end: number;
  gz: boolean;
}

const NL = 0x0a;
const CR = 0x0d;

export async function* readLines(range: LineRange, maxLineBytes: number): AsyncGenerator<string | null> {
  const skipFirst = !range.gz && range.start > 0;
  const source = range.gz
    ? createReadStream(range.file).pipe(createGunzip())
    : createReadStream(range.file, { start: skipFirst ? range.start - 1 : 0, highWaterMark: 1 << 20 });
  /** Absolute offset of the next unread byte of `source`. */
  let offset = skipFirst ? range.start - 1 : 0;
  /** Offset where the current line starts; -1 while skipping the partial first line. */
  let lineStart = skipFirst ? -1 : 0;
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let tooLong = false;
  let first = true;

  const finish = (): string | null => {
    const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, pieceBytes);
    pieces = [];
    pieceBytes = 0;
    if (tooLong) {
      tooLong = false;
      return null;
    }
    let from = 0;
    let to = bytes.length;
    if (to > 0 && bytes[to - 1] === CR) to -= 1;
    if (first && to >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) from = 3;
    first = false;
    return bytes.toString("utf8", from, to);
  };
  const add = (chunk: Buffer, from: number, to: number) => {
    if (tooLong || to <= from) return;
    if (pieceBytes + (to - from) > maxLineBytes) {
      tooLong = true;
      pieces = [];
      pieceBytes = 0;
      return;
    }
    pieces.push(chunk.subarray(from, to));
    pieceBytes += to - from;
  };

  try {
    for await (const raw of source) {
      const chunk = raw as Buffer;
      let i = 0;
      while (i < chunk.length) {
        const nl = chunk.indexOf(NL, i);
        if (lineStart < 0) {
          // Skipping the line that started in the previous range.
          if (nl < 0) break;
          i = nl + 1;
          lineStart = offset + i;
          first = false;
          if (lineStart >= range.end) return;
          continue;
        }
        if (nl < 0) {
          add(chunk, i, chunk.length);
          break;
        }
        add(chunk, i, nl);
        yield finish();
        i = nl + 1;
        lineStart = offset + i;
        if (lineStart >= range.end) return;
      }
      offset += chunk.length;
    }
    // A last line without "\n".
    if (lineStart >= 0 && (pieceBytes > 0 || tooLong)) yield finish();
  } finally {
    source.destroy();
  }
}
