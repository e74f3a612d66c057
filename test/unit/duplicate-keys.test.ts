import { configurePhoneRegion, emailKey, nameCompanyKey, phoneKey, phoneRegion } from '../../src/domain/duplicate-keys';

describe('emailKey', () => {
  it('folds case and accents and trims', () => {
    expect(emailKey('  Hélène.Dupont@Exemple.FR ')).toBe('helene.dupont@exemple.fr');
    expect(emailKey('HELENE.DUPONT@exemple.fr')).toBe(emailKey('hélène.dupont@EXEMPLE.fr'));
  });

  it('has no key for a missing or blank email', () => {
    expect(emailKey(null)).toBeNull();
    expect(emailKey('   ')).toBeNull();
  });

  it('keeps dots and plus signs: they may name different mailboxes', () => {
    expect(emailKey('jean.dupont@example.com')).not.toBe(emailKey('jeandupont@example.com'));
    expect(emailKey('jean+crm@example.com')).not.toBe(emailKey('jean@example.com'));
  });
});

describe('phoneKey', () => {
  const SAME_FRENCH_MOBILE = [
    '06 12 34 56 78',
    '0612345678',
    '06.12.34.56.78',
    '06-12-34-56-78',
    '+33 6 12 34 56 78',
    '+33612345678',
    '0033 6 12 34 56 78',
    '00 33 6 12 34 56 78',
    '+33 (0)6 12 34 56 78',
  ];

  it.each(SAME_FRENCH_MOBILE)('reads %s as +33612345678 with region FR', (written) => {
    expect(phoneKey(written, 'FR')).toBe('+33612345678');
  });

  it('reads a French landline the same way', () => {
    expect(phoneKey('01 23 45 67 89', 'FR')).toBe('+33123456789');
    expect(phoneKey('+33 1 23 45 67 89', 'FR')).toBe('+33123456789');
  });

  it('keeps the country a number states, whatever the default region', () => {
    expect(phoneKey('+1 415 555 2671', 'FR')).toBe('+14155552671');
    expect(phoneKey('+44 20 7946 0958', 'FR')).toBe('+442079460958');
    expect(phoneKey('+32 2 123 45 67', 'FR')).toBe('+3221234567');
  });

  it('reads a number without prefix in the default region given', () => {
    expect(phoneKey('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(phoneKey('02 123 45 67', 'BE')).toBe('+3221234567');
    expect(phoneKey('02 123 45 67', 'BE')).not.toBe(phoneKey('02 123 45 67', 'FR'));
  });

  it('falls back to the digits for a number that is not possible in its country', () => {
    expect(phoneKey('12345', 'FR')).toBe('12345');
    expect(phoneKey('ext. 1234-5678-9012-3456', 'FR')).toBe('1234567890123456');
  });

  it('has no key for garbage, short numbers or nothing', () => {
    expect(phoneKey(null, 'FR')).toBeNull();
    expect(phoneKey('', 'FR')).toBeNull();
    expect(phoneKey('n/a', 'FR')).toBeNull();
    expect(phoneKey('06 12', 'FR')).toBeNull();
    expect(phoneKey('+33', 'FR')).toBeNull();
  });
});

describe('nameCompanyKey', () => {
  it('keeps letters and digits only, folded', () => {
    expect(nameCompanyKey('Hélène  Dupont', 'Dupont & Fils.')).toBe('helenedupont|dupontfils');
    expect(nameCompanyKey(' HELENE DUPONT ', 'dupont-fils')).toBe('helenedupont|dupontfils');
    expect(nameCompanyKey('Jean', 'Dupont S.A.')).toBe(nameCompanyKey('jean', 'DUPONT SA'));
    expect(nameCompanyKey('Jean', 'Garage 2000')).not.toBe(nameCompanyKey('Jean', 'Garage 3000'));
  });

  it('tells name and company apart', () => {
    expect(nameCompanyKey('Jean', 'Dupont Martin')).not.toBe(nameCompanyKey('Jean Dupont', 'Martin'));
  });

  it('has no key without a company, or with a name or company of punctuation only', () => {
    expect(nameCompanyKey('Jean Dupont', null)).toBeNull();
    expect(nameCompanyKey('Jean Dupont', '  ')).toBeNull();
    expect(nameCompanyKey('Jean Dupont', '---')).toBeNull();
    expect(nameCompanyKey('...', 'Acme')).toBeNull();
  });

  it('bounds a long key without splitting a character', () => {
    const key = nameCompanyKey('\u{1F600}'.repeat(200), '\u{1F600}'.repeat(200));
    // Emoji are symbols: dropped, nothing left.
    expect(key).toBeNull();
    const long = nameCompanyKey('ﷺ'.repeat(200), 'Acme');
    expect(long).not.toBeNull();
    expect(Array.from(long!).length).toBe(300);
    // One BMP letter first: a cut at 300 UTF-16 units would land inside a surrogate pair.
    const astral = nameCompanyKey(`a${'\u{20000}'.repeat(400)}`, 'Acme')!;
    expect(Array.from(astral).length).toBe(300);
    expect(astral.isWellFormed()).toBe(true);
  });
});

describe('configurePhoneRegion', () => {
  afterEach(() => configurePhoneRegion('FR'));

  it('is FR until configured, and takes any supported country in any case', () => {
    expect(phoneRegion()).toBe('FR');
    configurePhoneRegion('be');
    expect(phoneRegion()).toBe('BE');
  });

  it('refuses an unknown country', () => {
    expect(() => configurePhoneRegion('XX')).toThrow('unknown phone region XX');
    expect(phoneRegion()).toBe('FR');
  });
});
