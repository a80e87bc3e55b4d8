// Arrow IPC (file format) writer of the export (apache-arrow): `amount` is Decimal128(precision 18, scale 2) built
// from the exact øre value, instants are Timestamp(millisecond, UTC), age_banking_days Int32, everything else Utf8.
import fs from 'node:fs';
import type { Decimal, Table, Vector } from 'apache-arrow';
import { EXPORT_COLUMNS, toOre, type ExportRow } from './rows.ts';
import type { ExportFormat } from './format.ts';

/** apache-arrow, loaded when an Arrow file is written (not by afstem export --help or another format). */
type Arrow = typeof import('apache-arrow');

/** A Decimal128(18, 2) vector from exact decimal strings (null where empty): two's-complement 128-bit øre. */
export function decimalVector(arrow: Arrow, values: (string | null)[]): Vector<Decimal> {
  const { Decimal, makeData, makeVector } = arrow;
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

export function toArrowTable(arrow: Arrow, rows: ExportRow[]): Table {
  const { Field, Int32, Schema, Table, TimestampMillisecond, Utf8, vectorFromArray } = arrow;
  const vectors: Record<string, Vector> = {};
  const fields: InstanceType<Arrow['Field']>[] = [];
  for (const c of EXPORT_COLUMNS) {
    const col = rows.map((r) => r[c]);
    if (c === 'amount') {
      vectors[c] = decimalVector(arrow, col);
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

export async function writeArrow(rows: ExportRow[], file: string): Promise<void> {
  const arrow = await import('apache-arrow');
  fs.writeFileSync(file, arrow.tableToIPC(toArrowTable(arrow, rows), 'file'));
}

export const arrowFormat: ExportFormat = {
  name: 'arrow',
  help: 'Arrow IPC file: amount Decimal128(18, 2), instants Timestamp(ms, UTC)',
  write: (rows, file) => writeArrow(rows, file),
};
