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
  /**
   * How arose_at is found (RULES.md §5), in Danish: the instant, as of asOf, from which the discrepancy's age in
   * banking days is counted. The rule's SQL computes it as the column `arose_at`.
   */
  arose: string;
}

const rule = (
  code: string,
  slug: string,
  severity: Severity,
  keyColumn: KeyColumn,
  name: string,
  action: string,
  arose: string,
): RuleEntry => ({
  code,
  file: `${code}_${slug}`,
  severity,
  keyColumn,
  name,
  action,
  arose,
});

export const RULES: readonly RuleEntry[] = [
  rule('R01', 'fee_not_transferred', 'critical', 'fee_id', 'Gebyr ikke overført til debitorsystemet', 'Få gebyret overført (eller annulleret).', 'Fristen for gebyr → fordring (fra gebyrets oprettelse), der er udløbet.'),
  rule('R02', 'claim_without_fee', 'warning', 'claim_id', 'Fordring uden gebyr i FBS', 'Find gebyret eller ret kildereferencen.', 'Fordringens modtagelse (received_at).'),
  rule('R03', 'duplicate_transfer', 'critical', 'claim_id', 'Dobbelt overførsel', 'Annullér den overskydende fordring.', 'Dubletfordringens egen modtagelse (received_at).'),
  rule('R04', 'amount_mismatch', 'critical', 'claim_id', 'Beløb afviger mellem gebyr og fordring', 'Ret beløbet i debitorsystemet.', 'Det seneste af gebyrets oprettelse (created_at) og fordringens modtagelse (received_at).'),
  rule('R05', 'adjustment_not_mirrored', 'warning', 'claim_id', 'Regulering ikke spejlet', 'Registrér reguleringen på den anden side.', 'Fristen for gebyr → fordring regnet fra den seneste regulering på en af siderne (FBS-regulering, nedregulering, gebyrets annullering), der er udløbet.'),
  rule('R06', 'wrong_account_type', 'warning', 'claim_id', 'Forkert debitorkontotype eller kravtype', 'Flyt fordringen til den rigtige kontotype.', 'Det seneste af gebyrets oprettelse (created_at) og fordringens modtagelse (received_at).'),
  rule('R07', 'replacement_cpr_on_prisme', 'warning', 'fee_id', 'Erstatnings-CPR på Prisme', 'Overfør manuelt efter den aftalte proces.', 'Gebyrets oprettelse (created_at).'),
  rule('R08', 'minor_in_collection', 'critical', 'claim_id', 'Mindreårig sendt til inddrivelse', 'Træk fordringen tilbage fra inddrivelse.', 'Afsendelsen til inddrivelse (collection_sent_at).'),
  rule('R09', 'not_payable', 'warning', 'claim_id', 'Fordring ikke gjort betalbar', 'Gør fordringen betalbar i betalingsløsningen.', 'Fristen for fordring → betalbar (fra fordringens modtagelse), der er udløbet.'),
  rule('R10', 'psp_payment_not_booked', 'critical', 'psp_txn_id', 'Betaling i betalingsløsningen ikke bogført', 'Bogfør indbetalingen i debitorsystemet.', 'Fristen for betaling → bogført (fra betalingen i betalingsløsningen), der er udløbet.'),
  rule('R11', 'booking_without_psp_txn', 'warning', 'payment_id', 'Indbetaling uden transaktion i betalingsløsningen', 'Find transaktionen.', 'Indbetalingens bogføring (booked_at).'),
  rule('R12', 'psp_amount_mismatch', 'critical', 'payment_id', 'Beløb afviger mellem transaktion og indbetaling', 'Ret indbetalingens beløb.', 'Det seneste af transaktionens betaling (paid_at) og indbetalingens bogføring (booked_at).'),
  rule('R13', 'duplicate_booking', 'critical', 'payment_id', 'Dobbelt bogføring', 'Tilbagefør den dobbelte indbetaling.', 'Dubletindbetalingens egen bogføring (booked_at).'),
  rule('R14', 'unapplied_payment', 'info', 'payment_id', 'Uanvendt indbetaling', 'Anvend restbeløbet eller udbetal det.', 'Det seneste af indbetalingens bogføring og dækningstidspunkt og tilbageførsel for hver af dens dækninger, aktive som tilbageførte.'),
  rule('R15', 'overapplied_payment', 'critical', 'payment_id', 'Overanvendt indbetaling', 'Ret dækningerne.', 'Det seneste af indbetalingens bogføring og dækningstidspunkt og tilbageførsel for hver af dens dækninger, aktive som tilbageførte.'),
  rule('R16', 'overcoverage', 'critical', 'claim_id', 'Overdækning', 'Se forslaget til tilbageførsel.', 'Den seneste hændelse, der flyttede restancen: dækningstidspunkt for en aktiv dækning, tilbageførsel af en dækning eller registrering af en nedregulering.'),
  rule('R17', 'coverage_on_reversed_payment', 'critical', 'coverage_id', 'Dækning på tilbageført indbetaling', 'Tilbagefør dækningen.', 'Det seneste af dækningens tidspunkt (covered_at) og indbetalingens tilbageførsel (reversed_at).'),
  rule('R18', 'paid_not_visible_in_fbs', 'warning', 'fee_id', 'Betaling ikke synlig i FBS', 'Få betalingen meldt tilbage til FBS.', 'Fristen for dækket → betalt i FBS (fra fordringens fulde dækning), der er udløbet.'),
  rule('R19', 'paid_in_fbs_not_in_debitor', 'critical', 'fee_id', 'Betalt i FBS, ikke i debitorsystemet', 'Undersøg betalingen og ret status.', 'Gebyrets betaling i FBS (paid_at), eller, når fordringen findes, det seneste af den og den sidste hændelse, der flyttede fordringens restance (med dens modtagelse).'),
  rule('R20', 'paid_outside_debitor', 'warning', 'fee_id', 'Betalt uden om debitorsystemet', 'Afstem betalingen manuelt.', 'Gebyrets betaling i FBS (paid_at).'),
  rule('R21', 'not_shown_in_mit_overblik', 'warning', 'claim_id', 'Ikke vist i Mit Overblik', 'Få fordringen vist for borgeren.', 'Kommunens seneste udtræk fra Mit Overblik (extracted_at).'),
  rule('R22', 'mit_overblik_amount_mismatch', 'warning', 'claim_id', 'Forkert restance i Mit Overblik', 'Ret visningen i Mit Overblik.', 'Udtrækket (extracted_at) i Mit Overblik, der viste den forkerte restance.'),
];

export const RULE_BY_CODE: ReadonlyMap<string, RuleEntry> = new Map(RULES.map((r) => [r.code, r]));

/** Every rule code in order: R01 … R22. */
export const RULE_CODES: readonly string[] = RULES.map((r) => r.code);

export function ruleEntry(code: string): RuleEntry {
  const r = RULE_BY_CODE.get(code);
  if (!r) throw new Error(`unknown rule ${code}`);
  return r;
}
