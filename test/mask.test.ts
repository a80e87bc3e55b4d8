// FORMATS.md §5: debtor_party is shown as its first six digits + "-XXXX" when it is a CPR number (ten digits, with or
// without the hyphen after the sixth); a CVR number (8 digits) is shown whole, and so is anything that is not exactly
// a CPR number: a longer run of digits is not a CPR number with something beside it.
import { describe, expect, it } from 'vitest';
import { maskParty, maskText } from '../src/mask.ts';

describe('maskParty: the whole debtor_party is a CPR number, or it is shown as it is', () => {
  it('masks DDMMYYSSSS and DDMMYY-SSSS, also with spaces around', () => {
    expect(maskParty('0102031234')).toBe('010203-XXXX');
    expect(maskParty('010203-1234')).toBe('010203-XXXX');
    expect(maskParty(' 0102031234 ')).toBe('010203-XXXX');
  });

  it('shows a CVR number, an 11- or 9-digit run and a CPR with a prefix or suffix whole', () => {
    expect(maskParty('12345678')).toBe('12345678');
    expect(maskParty('01020312345')).toBe('01020312345');
    expect(maskParty('901020312345')).toBe('901020312345');
    expect(maskParty('010203123')).toBe('010203123');
    expect(maskParty('9010203-1234')).toBe('9010203-1234');
    expect(maskParty('010203-12345')).toBe('010203-12345');
    expect(maskParty('DK0102031234')).toBe('DK0102031234');
    expect(maskParty(null)).toBeNull();
  });
});

// FORMATS.md §5: in free text and raw rejected rows, any CPR-shaped number standing on its own (DDMMYY-SSSS, or ten
// digits not part of a longer run of letters or digits) is masked the same way; a longer run is not a CPR number.
describe('maskText: a CPR-shaped number standing on its own inside text', () => {
  it('masks ten digits and DDMMYY-SSSS between spaces, punctuation and at the ends, every one of them', () => {
    expect(maskText('0102031234')).toBe('010203-XXXX');
    expect(maskText('CPR 0102031234 ringede')).toBe('CPR 010203-XXXX ringede');
    expect(maskText('låner (010203-1234), se også 311299-9999.')).toBe('låner (010203-XXXX), se også 311299-XXXX.');
    expect(maskText('F1;0102031234;"010203-1234"')).toBe('F1;010203-XXXX;"010203-XXXX"');
    expect(maskText(null)).toBeNull();
  });

  it('leaves a run of 11 digits whole, a digit before or after included', () => {
    expect(maskText('konto 01020312345 i banken')).toBe('konto 01020312345 i banken');
    expect(maskText('konto 90102031234 i banken')).toBe('konto 90102031234 i banken');
    expect(maskText('ref 9010203-1234')).toBe('ref 9010203-1234');
    expect(maskText('ref 010203-12345')).toBe('ref 010203-12345');
  });

  it('leaves ten digits inside a run of letters whole (also æøå), but a hyphen or a space is a boundary', () => {
    expect(maskText('MV0102031234')).toBe('MV0102031234');
    expect(maskText('0102031234kr')).toBe('0102031234kr');
    expect(maskText('æ0102031234ø')).toBe('æ0102031234ø');
    expect(maskText('MV-0102031234')).toBe('MV-010203-XXXX');
    expect(maskText('nr. 0102031234')).toBe('nr. 010203-XXXX');
  });

  it('masks no shorter number: a CVR (8 digits) and 9 digits stay whole', () => {
    expect(maskText('CVR 12345678, tlf 123456789')).toBe('CVR 12345678, tlf 123456789');
  });
});
