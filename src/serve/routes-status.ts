// The served status pages (FORMATS.md §9), each read through the user's scope:
//   GET /status                                   the go-live status of the user's municipalities with its reasons
//   GET /kommuner/101/discrepancies.xlsx          the municipality's open discrepancies with the current handling,
//                                                 written by the run's own writer (src/outputs/discrepancies-xlsx.ts)
//   GET /drift                                    an operator's: every municipality, and the last runs (history)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { discrepancySheetRows, writeDiscrepancySheet } from '../outputs/discrepancies-xlsx.ts';
import { reportQuery, rows, serveSql } from './sql.ts';
import { frameOf, NOT_FOUND, page, problem, scoped, send, type Served } from './context.ts';
import { operatorBody, statusBody } from './pages/status.ts';
import { MAY } from './users.ts';

export function statusRoutes(app: FastifyInstance, s: Served): void {
  app.get('/status', async (req, reply) => scoped(s, req, reply, () => true, async (c, conn, user) => {
    const frame = await frameOf(s, c, 'Idriftsættelse', '/status', conn);
    const waves = await rows(conn, reportQuery('waves/municipalities.sql', { municipality: '' }));
    return send(reply, page(frame, await statusBody(waves, c.snapshot!.asOf!, frame.names!, user.municipalities, MAY.download(user))));
  }));

  app.get<{ Params: { code: string } }>('/kommuner/:code/discrepancies.xlsx', async (req, reply) => scoped(s, req, reply, MAY.download, async (c, conn, user) => {
    const code = req.params.code;
    if (!user.municipalities.includes(code)) return problem(reply, 404, await frameOf(s, c, 'Siden findes ikke', req.url, conn), ...NOT_FOUND);
    const file = path.join(os.tmpdir(), `afstem-serve-${crypto.randomUUID()}.xlsx`);
    try {
      await writeDiscrepancySheet(file, await discrepancySheetRows(conn, code));
      const bytes = fs.readFileSync(file);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="discrepancies-${code}.xlsx"`)
        .send(bytes);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }));

  app.get('/drift', async (req, reply) => scoped(s, req, reply, MAY.operate, async (c, conn) => {
    const frame = await frameOf(s, c, 'Drift', '/drift', conn);
    const overview = await rows(conn, serveSql('overview.sql'));
    const runs = await rows(conn, serveSql('runs.sql', { limit: 30 }));
    return send(reply, page(frame, operatorBody(overview, runs, frame.names!)));
  }));
}
