import { InvalidParameterError } from '../../src/domain/errors';
import { ListClientsQuery } from '../../src/http/schemas/client.schemas';
import { parseQuery } from '../../src/http/validate';

/** A koa-like source: the raw text and its parsed form, as koa derives one from the other. */
function source(querystring: string) {
  return { querystring, query: Object.fromEntries(new URLSearchParams(querystring)) };
}

describe('parseQuery', () => {
  it('answers a query it has seen with the same validated value, frozen', () => {
    const first = parseQuery(ListClientsQuery, source('limit=20&sort=name'));
    const again = parseQuery(ListClientsQuery, source('limit=20&sort=name'));
    expect(first).toEqual({ limit: 20, sort: 'name' });
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('tells queries apart by their text', () => {
    expect(parseQuery(ListClientsQuery, source('limit=5')).limit).toBe(5);
    expect(parseQuery(ListClientsQuery, source('limit=6')).limit).toBe(6);
    expect(parseQuery(ListClientsQuery, source('')).sort).toBe('-createdAt');
  });

  it('refuses an invalid query every time it is asked, never from memory', () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(() => parseQuery(ListClientsQuery, source('limit=0'))).toThrow(InvalidParameterError);
      expect(() => parseQuery(ListClientsQuery, source('limt=5'))).toThrow(InvalidParameterError);
    }
  });

  it('does not keep queries that carry a cursor (each page has its own)', () => {
    const first = parseQuery(ListClientsQuery, source('limit=5&cursor=abc.def'));
    const again = parseQuery(ListClientsQuery, source('limit=5&cursor=abc.def'));
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });

  it('stays correct after the memo has filled and been emptied', () => {
    for (let limit = 1; limit <= 100; limit++) {
      for (const sort of ['name', '-name', 'createdAt']) {
        expect(parseQuery(ListClientsQuery, source(`limit=${limit}&sort=${sort}`))).toEqual({ limit, sort });
      }
    }
    expect(parseQuery(ListClientsQuery, source('limit=7&sort=name'))).toEqual({ limit: 7, sort: 'name' });
  });
});
