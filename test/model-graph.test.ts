// The model graph derived from the SQL of queries/ (src/pipeline/graph.ts): every name a model reads exists, no
// model reads a layer above its own (as dbt-project-evaluator checks), the graph is acyclic and the plan builds every
// model after its inputs, and a model is dropped only when nothing still to come reads it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../src/ingest/kinds.ts';
import { RULES } from '../src/pipeline/catalog.ts';
import {
  LAYERS, LAYER_RANK, QUERIES_DIR, SOURCES, expandPlaceholders, identifiers, modelGraph, topoSort, type Layer, type Model,
} from '../src/pipeline/graph.ts';

const { models, plan } = modelGraph();
const sourceLayer = (s: string): Layer => (s.startsWith('cur_') ? 'staging' : SOURCES[s]);

describe('the model graph', () => {
  it('has every file of queries/ as a model', () => {
    const files = LAYERS.flatMap((l) => fs.readdirSync(path.join(QUERIES_DIR, l)).filter((f) => f.endsWith('.sql')));
    expect(models.size).toBe(files.length);
    expect([...models.values()].filter((m) => m.layer === 'rules').length).toBe(RULES.length);
  });

  it('every name a model reads is a model or a source: the configured context, cur_<kind> of a known kind, the lifecycle', () => {
    const kinds = new Set(KINDS.map((k) => `cur_${k.kind}`));
    for (const m of models.values()) {
      expect(m.unknown, m.file).toEqual([]);
      for (const s of m.sources) expect(s in SOURCES || kinds.has(s), `${m.file} reads ${s}`).toBe(true);
      for (const i of m.inputs) expect(models.has(i), `${m.file} reads ${i}`).toBe(true);
    }
  });

  it('no model reads a layer above its own: staging < intermediate < rules | metrics < marts', () => {
    const upward: string[] = [];
    for (const m of models.values()) {
      for (const i of m.inputs) {
        const layer = models.get(i)!.layer;
        if (LAYER_RANK[layer] > LAYER_RANK[m.layer]) upward.push(`${m.name} (${m.layer}) reads ${i} (${layer})`);
      }
      for (const s of m.sources) {
        if (LAYER_RANK[sourceLayer(s)] > LAYER_RANK[m.layer]) upward.push(`${m.name} (${m.layer}) reads ${s} (${sourceLayer(s)})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('each rule reads the intermediate layer only, no other rule', () => {
    for (const m of models.values()) {
      if (m.layer === 'rules') for (const i of m.inputs) expect(models.get(i)!.layer, `${m.name} reads ${i}`).toBe('intermediate');
    }
  });

  it('is acyclic: the plan holds every model once, each after every model it reads', () => {
    expect(plan.map((e) => e.model).sort()).toEqual([...models.keys()].sort());
    const pos = new Map(plan.map((e, i) => [e.model, i]));
    for (const m of models.values()) for (const i of m.inputs) expect(pos.get(i)!, `${m.name} after ${i}`).toBeLessThan(pos.get(m.name)!);
  });

  it('finds a cycle and names its models', () => {
    const fake = (name: string, inputs: string[]): [string, Model] => [name, { ...models.get('int_fees')!, name, inputs }];
    const cyclic = new Map([fake('a', ['b']), fake('b', ['c']), fake('c', ['a']), fake('d', [])]);
    expect(() => topoSort(cyclic, new Set(cyclic.keys()))).toThrow(/a, b, c read each other in a cycle/);
    const fine = new Map([fake('b', ['a']), fake('a', []), fake('c', ['a', 'b'])]);
    expect(topoSort(fine, new Set(fine.keys()))).toEqual(['a', 'b', 'c']);
  });

  it('the run steps in order: the rules and their marts, then latency, then waves', () => {
    const steps = (step: string) => plan.filter((e) => e.step === step).map((e) => e.model);
    expect(steps('rules').slice(-2)).toEqual(['discrepancies', 'reversals']);
    expect(steps('rules').filter((n) => n.startsWith('int_'))).toHaveLength(16);
    // what may explain the discrepancies, after the rules (it reads the discrepancies mart) and before waves (red on
    // an overdue delivery): one model per suggestion kind in the matching layer, then the marts
    expect(steps('suggestions')).toEqual([
      'int_suggest_claim_for_fee', 'int_suggest_payment_for_transaction', 'delivery_status', 'suggestions', 'discrepancy_hints',
    ]);
    expect(models.get('waves')!.inputs).toContain('delivery_status');
    expect(steps('latency')).toEqual(['latency_items', 'latency_negative', 'latency', 'latency_histogram', 'latency_trend']);
    expect(steps('waves')).toEqual(['waves']);
  });

  it('drops a model only after its last reader, never one a later step or a view still to be read needs', () => {
    const pos = new Map(plan.map((e, i) => [e.model, i]));
    const readers = (n: string) => [...models.values()].filter((m) => m.inputs.includes(n));
    const uses = (n: string): Model[] => readers(n).flatMap((r) => (r.kind === 'view' ? [r, ...uses(r.name)] : [r]));
    plan.forEach((e, i) => {
      for (const gone of e.dropAfter) {
        const m = models.get(gone)!;
        expect(m.kept || m.persisted, gone).toBe(false);
        for (const r of uses(gone)) {
          expect(pos.get(r.name)!, `${gone} is dropped after ${e.model} but ${r.name} reads it`).toBeLessThanOrEqual(i);
          expect(plan[pos.get(r.name)!].step, `${gone} read by the later step of ${r.name}`).toBe(e.step);
        }
      }
    });
    const dropped = new Map(plan.flatMap((e) => e.dropAfter.map((d) => [d, e.model])));
    // the building blocks of the claim layer go as soon as int_claims has read them
    for (const n of ['int_claim_state', 'int_claim_adjustments', 'int_claim_coverage', 'int_claim_invoice', 'int_claim_rank']) {
      expect(dropped.get(n), n).toBe('int_claims');
    }
    expect(dropped.get('int_payment_rank')).toBe('int_payments');
    expect(dropped.get('rule_R01')).toBe('discrepancies');
    expect(dropped.get('int_suggest_claim_for_fee')).toBe('suggestions');
    expect(dropped.get('int_suggest_payment_for_transaction')).toBe('suggestions');
    // read by latency_items (a later step) or after the run: never dropped
    for (const n of ['int_fees', 'int_claims', 'int_transactions', 'latency_items', 'latency_negative', 'discrepancies', 'waves']) {
      expect(dropped.has(n), n).toBe(false);
    }
  });

  it('every model is read by another, or kept for what reads it after the run', () => {
    for (const m of models.values()) {
      const read = [...models.values()].some((r) => r.inputs.includes(m.name));
      expect(read || m.kept, m.file).toBe(true);
    }
  });

  it('materialisation comes from the header: two TEMP views, the rest TEMP tables (a recorded run copies waves into the database)', () => {
    const views = [...models.values()].filter((m) => m.kind === 'view').map((m) => m.name).sort();
    expect(views).toEqual(['int_base_fees', 'int_claim_state']);
    expect([...models.values()].filter((m) => m.persisted).map((m) => m.name)).toEqual([]);
    expect([...models.values()].filter((m) => m.kept).map((m) => m.name).sort()).toEqual(
      ['delivery_status', 'discrepancies', 'discrepancy_hints', 'latency', 'latency_histogram', 'latency_items', 'latency_negative', 'latency_trend', 'reversals', 'suggestions', 'waves'],
    );
  });
});

describe('finding the names a model reads', () => {
  it('skips comments, string literals and its own CTEs, and reads quoted identifiers', () => {
    const ids = identifiers(`-- reads int_old
      WITH int_fake AS (SELECT 1), x AS NOT MATERIALIZED (SELECT * FROM "int_quoted")
      SELECT 'int_in_text' AS t /* int_in_block */ FROM int_real JOIN int_fake USING (k)`);
    expect(ids.has('int_real')).toBe(true);
    expect(ids.has('int_quoted')).toBe(true);
    for (const n of ['int_old', 'int_in_text', 'int_in_block', 'int_fake']) expect(ids.has(n), n).toBe(false);
  });

  it('reads the discrepancies union from the catalog: every rule table', () => {
    expect(models.get('discrepancies')!.inputs).toEqual(RULES.map((r) => `rule_${r.code}`));
  });
});

describe('placeholders', () => {
  it('expands the rule union in code and refuses one inside a comment, where its lines would escape the comment', () => {
    expect(expandPlaceholders('SELECT * FROM {{ rule_union }} d')).toContain('UNION ALL BY NAME');
    expect(() => expandPlaceholders('-- see {{ rule_union }}\nSELECT 1')).toThrow(/inside a comment/);
    expect(() => expandPlaceholders('SELECT * FROM {{ no_such }}')).toThrow(/unknown placeholder/);
  });
});
