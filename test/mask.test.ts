// FORMATS.md §5: debtor_party is shown as its first six digits + "-XXXX" when it is a CPR number (ten digits, with or
// without the hyphen after the sixth); a CVR number (8 digits) is shown whole, and so is anything that is not exactly
// a CPR number: a longer run of digits is not a CPR number with something beside it.
import { describe, expect, it } from 'vitest';
import { maskParty } from '../src/mask.ts';

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
