import fc from 'fast-check';
import pg from 'pg';
import { toIsoTimestamp } from '../../src/db/dialects/dialect';
import { timestamptzToIso } from '../../src/db/dialects/pg-timestamps';

const builtin = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => unknown;
const parse = timestamptzToIso(builtin);

/** PostgreSQL's ISO output for a UTC session: trailing zeros of the fraction dropped, no fraction at all for whole seconds. */
function pgText(date: Date): string {
  const [day, time] = date.toISOString().replace('Z', '').split('T') as [string, string];
  const [clock, fraction] = time.split('.') as [string, string];
  const trimmed = fraction.replace(/0+$/, '');
  return `${day} ${clock}${trimmed ? `.${trimmed}` : ''}+00`;
}

describe('timestamptz text -> ISO without a Date', () => {
  it.each([
    ['2026-11-24 18:00:00+00', '2026-11-24T18:00:00.000Z'],
    ['2026-11-24 18:00:00.5+00', '2026-11-24T18:00:00.500Z'],
    ['2026-11-24 18:00:00.12+00', '2026-11-24T18:00:00.120Z'],
    ['2026-11-24 18:00:00.123+00', '2026-11-24T18:00:00.123Z'],
    ['2026-11-24 18:00:00.123456+00', '2026-11-24T18:00:00.123Z'],
  ])('%s -> %s', (text, iso) => {
    expect(parse(text)).toBe(iso);
  });

  it('agrees with the Date path on every millisecond timestamp of years 1000-9999', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
        (date) => {
          const text = pgText(date);
          expect(parse(text)).toBe(toIsoTimestamp(builtin(text)));
          expect(parse(text)).toBe(date.toISOString());
        },
      ),
    );
  });

  it('leaves other offsets, BC dates and infinity to the default parser, whose answer is still right', () => {
    expect(toIsoTimestamp(parse('2026-11-24 19:00:00.123+01'))).toBe('2026-11-24T18:00:00.123Z');
    expect(toIsoTimestamp(parse('2026-11-24 12:30:00-05:30'))).toBe('2026-11-24T18:00:00.000Z');
    expect(parse('0044-03-15 12:00:00+00 BC')).toBeInstanceOf(Date);
    expect(parse('infinity')).toEqual(builtin('infinity'));
  });
});
