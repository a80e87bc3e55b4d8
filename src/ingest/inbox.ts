// The inbox of FORMATS.md §1: <inbox>/<kommunekode>/[sub-folders/]<kind>_<YYYY-MM-DD>.csv.
import fs from 'node:fs';
import path from 'node:path';
import { KIND_BY_NAME } from './kinds.ts';

export interface InboxFile {
  /** Path relative to the inbox, with forward slashes. */
  path: string;
  absPath: string;
  municipality: string | null;
  kind: string | null;
  exportDate: string | null;
  /** Why the file is not a known export, when it is not. */
  unknownReason: string | null;
}

function walk(dir: string, rel: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(path.join(dir, entry.name), r, out);
    else if (entry.isFile()) out.push(r);
  }
}

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Every file below the inbox, in path order, classified. */
export function listInbox(inbox: string, municipalities: Set<string>): InboxFile[] {
  if (!fs.existsSync(inbox)) throw new Error(`the inbox ${inbox} does not exist`);
  const rels: string[] = [];
  walk(inbox, '', rels);
  rels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return rels.map((rel) => classify(inbox, rel, municipalities));
}

function classify(inbox: string, rel: string, municipalities: Set<string>): InboxFile {
  const parts = rel.split('/');
  const base = parts[parts.length - 1];
  const file: InboxFile = {
    path: rel,
    absPath: path.join(inbox, ...parts),
    municipality: null,
    kind: null,
    exportDate: null,
    unknownReason: null,
  };
  if (parts.length < 2) {
    file.unknownReason = 'the file lies directly in the inbox, outside a municipality folder';
    return file;
  }
  const code = parts[0];
  if (!municipalities.has(code)) {
    file.unknownReason = /^\d{3}$/.test(code)
      ? `municipality ${code} is not in the configuration`
      : `the folder "${code}" is not a configured three-digit municipality code`;
    return file;
  }
  const m = /^([a-z_]+)_(\d{4}-\d{2}-\d{2})\.csv$/.exec(base);
  if (!m || !KIND_BY_NAME.has(m[1])) {
    file.unknownReason = `"${base}" is not named <kind>_<YYYY-MM-DD>.csv with a known kind`;
    return file;
  }
  if (!isRealDate(m[2])) {
    file.unknownReason = `"${base}" has no real export date`;
    return file;
  }
  file.municipality = code;
  file.kind = m[1];
  file.exportDate = m[2];
  return file;
}
