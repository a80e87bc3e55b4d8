// Arrow IPC (file format) writer of the export (apache-arrow): `amount` is Decimal128(precision 18, scale 2) built
// from the exact øre value, instants are Timestamp(millisecond, UTC), age_banking_days Int32, everything else Utf8.
import fs from 'node:fs';
import {
  Decimal,
  Field,
  Int32,
  Schema,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { EXPORT_COLUMNS, toOre, type ExportRow } from './rows.ts';
import type { ExportFormat } from './format.ts';

/** A Decimal128(18, 2) vector from exact decimal strings (null where empty): two's-complement 128-bit øre. */
export function decimalVector(values: (string | null)[]): Vector<Decimal> {
  const type = new Decimal(2, 18, 128);
  const words = new BigInt64Array(values.length * 2);
  const validity = new Uint8Array(Math.ceil(values.length / 8));
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) {
      nulls++;
      return;
    }
    const ore = toOre(v);
    words[2 * i] = BigInt.asIntN(64, ore);
    words[2 * i + 1] = ore < 0n ? -1n : 0n;
    validity[i >> 3] |= 1 << (i & 7);
  });
  const data = makeData({
    type,
    length: values.length,
    nullCount: nulls,
    nullBitmap: nulls ? validity : undefined,
    data: new Uint32Array(words.buffer),
  });
  return makeVector(data);
}

const instantMs = (v: string | null) => (v === null ? null : Date.parse(v));

export function toArrowTable(rows: ExportRow[]): Table {
  const vectors: Record<string, Vector> = {};
  const fields: Field[] = [];
  for (const c of EXPORT_COLUMNS) {
    const col = rows.map((r) => r[c]);
    if (c === 'amount') {
      vectors[c] = decimalVector(col);
    } else if (c === 'first_seen' || c === 'arose_at' || c === 'resolved_at' || c === 'handled_at') {
      vectors[c] = vectorFromArray(col.map(instantMs), new TimestampMillisecond('UTC'));
    } else if (c === 'age_banking_days') {
      vectors[c] = vectorFromArray(col.map((v) => (v === null ? null : Number(v))), new Int32());
    } else {
      vectors[c] = vectorFromArray(col, new Utf8());
    }
    fields.push(new Field(c, vectors[c].type, true));
  }
  return new Table(new Schema(fields), vectors);
}

export function writeArrow(rows: ExportRow[], file: string): void {
  fs.writeFileSync(file, tableToIPC(toArrowTable(rows), 'file'));
}

export const arrowFormat: ExportFormat = {
  name: 'arrow',
  help: 'Arrow IPC file: amount Decimal128(18, 2), instants Timestamp(ms, UTC)',
  async write(rows, file) {
    writeArrow(rows, file);
  },
};
