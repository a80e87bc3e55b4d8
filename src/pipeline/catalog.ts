// The rule catalog: one declaration per rule of RULES.md §3, the single source of a rule's facts.
// From it derive the discrepancies union, RULE_CODES, the export's --rule validation, the report's labels and the
// tests' key columns. A rule is its SQL file (queries/rules/<file>.sql) plus its entry here; a test checks that
// every rule's SQL output agrees with its entry (code, severity, key column).

export type Severity = 'critical' | 'warning' | 'info';
export type KeyColumn = 'fee_id' | 'claim_id' | 'payment_id' | 'psp_txn_id' | 'coverage_id';

export interface RuleEntry {
  /** R01 … R22 */
  code: string;
  /** The model file under queries/rules/, without `.sql`. */
  file: string;
  severity: Severity;
  /** The column that identifies the row (RULES.md §3 "key"). */
  keyColumn: KeyColumn;
  /** Danish name, for the people who read the report. */
  name: string;
  /** What the clerk does about it, in Danish. */
  action: string;
}

const rule = (code: string, slug: string, severity: Severity, keyColumn: KeyColumn, name: string, action: string): RuleEntry => ({
  code,
  file: `${code}_${slug}`,
  severity,
  keyColumn,
  name,
  action,
});

export const RULES: readonly RuleEntry[] = [
  rule('R01', 'fee_not_transferred', 'critical', 'fee_id', 'Gebyr ikke overført til debitorsystemet', 'Få gebyret overført (eller annulleret).'),
  rule('R02', 'claim_without_fee', 'warning', 'claim_id', 'Fordring uden gebyr i FBS', 'Find gebyret eller ret kildereferencen.'),
  rule('R03', 'duplicate_transfer', 'critical', 'claim_id', 'Dobbelt overførsel', 'Annullér den overskydende fordring.'),
  rule('R04', 'amount_mismatch', 'critical', 'claim_id', 'Beløb afviger mellem gebyr og fordring', 'Ret beløbet i debitorsystemet.'),
  rule('R05', 'adjustment_not_mirrored', 'warning', 'claim_id', 'Regulering ikke spejlet', 'Registrér reguleringen på den anden side.'),
  rule('R06', 'wrong_account_type', 'warning', 'claim_id', 'Forkert debitorkontotype eller kravtype', 'Flyt fordringen til den rigtige kontotype.'),
  rule('R07', 'replacement_cpr_on_prisme', 'warning', 'fee_id', 'Erstatnings-CPR på Prisme', 'Overfør manuelt efter den aftalte proces.'),
  rule('R08', 'minor_in_collection', 'critical', 'claim_id', 'Mindreårig sendt til inddrivelse', 'Træk fordringen tilbage fra inddrivelse.'),
  rule('R09', 'not_payable', 'warning', 'claim_id', 'Fordring ikke gjort betalbar', 'Gør fordringen betalbar i betalingsløsningen.'),
  rule('R10', 'psp_payment_not_booked', 'critical', 'psp_txn_id', 'Betaling i betalingsløsningen ikke bogført', 'Bogfør indbetalingen i debitorsystemet.'),
  rule('R11', 'booking_without_psp_txn', 'warning', 'payment_id', 'Indbetaling uden transaktion i betalingsløsningen', 'Find transaktionen.'),
  rule('R12', 'psp_amount_mismatch', 'critical', 'payment_id', 'Beløb afviger mellem transaktion og indbetaling', 'Ret indbetalingens beløb.'),
  rule('R13', 'duplicate_booking', 'critical', 'payment_id', 'Dobbelt bogføring', 'Tilbagefør den dobbelte indbetaling.'),
  rule('R14', 'unapplied_payment', 'info', 'payment_id', 'Uanvendt indbetaling', 'Anvend restbeløbet eller udbetal det.'),
  rule('R15', 'overapplied_payment', 'critical', 'payment_id', 'Overanvendt indbetaling', 'Ret dækningerne.'),
  rule('R16', 'overcoverage', 'critical', 'claim_id', 'Overdækning', 'Se forslaget til tilbageførsel.'),
  rule('R17', 'coverage_on_reversed_payment', 'critical', 'coverage_id', 'Dækning på tilbageført indbetaling', 'Tilbagefør dækningen.'),
  rule('R18', 'paid_not_visible_in_fbs', 'warning', 'fee_id', 'Betaling ikke synlig i FBS', 'Få betalingen meldt tilbage til FBS.'),
  rule('R19', 'paid_in_fbs_not_in_debitor', 'critical', 'fee_id', 'Betalt i FBS, ikke i debitorsystemet', 'Undersøg betalingen og ret status.'),
  rule('R20', 'paid_outside_debitor', 'warning', 'fee_id', 'Betalt uden om debitorsystemet', 'Afstem betalingen manuelt.'),
  rule('R21', 'not_shown_in_mit_overblik', 'warning', 'claim_id', 'Ikke vist i Mit Overblik', 'Få fordringen vist for borgeren.'),
  rule('R22', 'mit_overblik_amount_mismatch', 'warning', 'claim_id', 'Forkert restance i Mit Overblik', 'Ret visningen i Mit Overblik.'),
];

export const RULE_BY_CODE: ReadonlyMap<string, RuleEntry> = new Map(RULES.map((r) => [r.code, r]));

/** Every rule code in order: R01 … R22. */
export const RULE_CODES: readonly string[] = RULES.map((r) => r.code);

export function ruleEntry(code: string): RuleEntry {
  const r = RULE_BY_CODE.get(code);
  if (!r) throw new Error(`unknown rule ${code}`);
  return r;
}
