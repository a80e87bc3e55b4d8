// The municipalities and the generator's model of fees, claims and payments.


// ───────────────────────────── municipalities ─────────────────────────────

export interface Muni {
  code: string;
  name: string;
  debtorSystem: 'kmd_opus' | 'prisme_2009' | 'prisme_2015' | 'eg_os_indsigt';
  wave: number;
  goLive: string;
  borgerblikket: boolean;
  /** Whether this generator delivers borgerblikket_claims for it. */
  bbDelivered: boolean;
  weight: number;
  // derived
  psp: boolean;
  goLiveDay: number;
}
export const MUNIS_SMALL: Omit<Muni, 'psp' | 'goLiveDay'>[] = [
  { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14', borgerblikket: true, bbDelivered: true, weight: 5 },
  { code: '461', name: 'Odense', debtorSystem: 'kmd_opus', wave: 2, goLive: '2026-06-01', borgerblikket: false, bbDelivered: false, weight: 3 },
  { code: '621', name: 'Kolding', debtorSystem: 'prisme_2015', wave: 2, goLive: '2026-06-01', borgerblikket: true, bbDelivered: true, weight: 2 },
  { code: '561', name: 'Esbjerg', debtorSystem: 'prisme_2009', wave: 3, goLive: '2026-09-01', borgerblikket: false, bbDelivered: false, weight: 2 },
  { code: '751', name: 'Aarhus', debtorSystem: 'eg_os_indsigt', wave: 4, goLive: '2026-11-01', borgerblikket: false, bbDelivered: false, weight: 4 },
  { code: '147', name: 'Frederiksberg', debtorSystem: 'kmd_opus', wave: 4, goLive: '2026-11-01', borgerblikket: true, bbDelivered: false, weight: 1 },
];
export const MUNIS_LARGE_EXTRA: Omit<Muni, 'psp' | 'goLiveDay'>[] = [
  { code: '851', name: 'Aalborg', debtorSystem: 'prisme_2015', wave: 3, goLive: '2026-09-01', borgerblikket: false, bbDelivered: false, weight: 3 },
  { code: '330', name: 'Slagelse', debtorSystem: 'eg_os_indsigt', wave: 3, goLive: '2026-09-01', borgerblikket: false, bbDelivered: false, weight: 1 },
  { code: '157', name: 'Gentofte', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14', borgerblikket: false, bbDelivered: false, weight: 1 },
  { code: '250', name: 'Frederikssund', debtorSystem: 'prisme_2009', wave: 2, goLive: '2026-06-01', borgerblikket: false, bbDelivered: false, weight: 1 },
];

// ───────────────────────────── the model ─────────────────────────────

export interface FeeM {
  m: Muni;
  id: string;
  patron: string;
  party: string;
  feeType: string;
  amount: number;
  created: number;
  status: 'open' | 'paid' | 'cancelled';
  paidAt: number | null;
  source: string | null;
  cancelledAt: number | null;
  reason: string | null;
}
export interface ClaimM {
  m: Muni;
  id: string;
  sourceRef: string | null;
  accountType: string;
  claimType: string;
  party: string;
  principal: number;
  received: number;
  invoicedAt: number | null;
  due: number | null;
  collection: number | null;
  adjs: { t: number; amount: number }[];
  covs: { t: number; amount: number; reversed: number | null }[];
  bbOmit?: boolean;
  bbShownDelta?: number;
  bbShownAbs?: number;
}
export interface PayM {
  m: Muni;
  id: string;
  channel: string;
  ref: string | null;
  party: string | null;
  amount: number;
  booked: number;
  reversed: number | null;
}

export type Expect = { municipality: string; key: string; amount: string | null; note: string };

/** A suggested match (RULES.md §6) the generator planted: suggestions.csv's columns but the reason, and a note. */
export type ExpectSuggestion = {
  municipality: string;
  kind: 'payment_for_transaction' | 'claim_for_fee';
  left_id: string;
  right_id: string;
  amount: string;
  hours_apart: string;
  rank: number;
  note: string;
};

export interface GenerateOptions {
  out: string;
  fees: number;
  seed: number;
  small: boolean;
  /** Check expected.json against an independent reading of the rules over the model (default: small mode). */
  verify?: boolean;
  /** Plant the anomalies of every rule again and again until about this share of the fees are anomalies (bench only). */
  anomalyRate?: number;
  log?: (s: string) => void;
}

export const PATRON_ACCOUNT: Record<string, string> = {
  adult_cpr: 'library_fees',
  adult_replacement_cpr: 'library_fees',
  company_cvr: 'library_fees',
  child_oa_cpr: 'library_fees_minor_with_oa',
  child_oa_replacement_cpr: 'library_fees_minor_with_oa',
  child_cpr: 'library_fees_minor_without_oa',
  child_replacement_cpr: 'library_fees_minor_without_oa',
};

export const REASONS = [
  'Bog "Kongens Fald" ikke afleveret; rykket 2 gange',
  'Erstatning for beskadiget materiale:\nsider revet ud, omslag med kaffepletter',
  'Låner oplyser at <b>bogen</b> er afleveret i bogkassen – undersøges',
  'Overskredet lånetid, 3 materialer; se note i FBS',
  'Henvendelse fra låner 010203-1234 om gebyret',
  'Ærgerligt: "Ødelagt" cover; Århus filial sendte billede',
  'Mistet lydbog (Tolkien, "Ringenes Herre")\r\nerstattes med ny udgave',
  'Lånt på Hovedbiblioteket, afleveret på Østerbro bibliotek efter fristen',
  'Forælder ringede; barnet har mistet <i>2</i> bøger; "aftale om afdrag" ønsket',
  'CPR 1206781234 oplyst ved skranken — tastet forkert?',
];
